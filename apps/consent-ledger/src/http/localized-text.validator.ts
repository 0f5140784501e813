import { ValidationOptions, registerDecorator } from 'class-validator';
import { isStorableText } from './text-validators';

const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** Plain text, or the same text per BCP 47 language tag: `{"fr": "...", "en": "..."}`. */
export function IsLocalizedText(maxLength: number, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isLocalizedText',
      target: target.constructor,
      propertyName,
      options: {
        message: `$property must be a non-empty string of at most ${maxLength} characters (no NUL, no unpaired surrogate), or an object of such strings keyed by language tag`,
        ...options,
      },
      validator: {
        validate(value: unknown): boolean {
          const isText = (text: unknown) => typeof text === 'string' && text.trim().length > 0 && text.length <= maxLength && isStorableText(text);
          if (isText(value)) return true;
          if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
          const entries = Object.entries(value);
          return entries.length > 0 && entries.every(([tag, text]) => LANGUAGE_TAG.test(tag) && isText(text));
        },
      },
    });
}
