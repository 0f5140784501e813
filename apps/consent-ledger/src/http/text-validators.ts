import { parseInstant } from '@consent-ledger/domain';
import { ValidationOptions, registerDecorator } from 'class-validator';

/**
 * Text Postgres can store and every client can read: no NUL (text and jsonb refuse it) and no lone
 * UTF-16 surrogate (not encodable as UTF-8). Either would otherwise reach the database and fail there.
 */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const isStorableText = (value: string): boolean => !UNSTORABLE.test(value);

export function IsStorableText(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isStorableText',
      target: target.constructor,
      propertyName,
      options: { message: '$property must not contain NUL characters or unpaired surrogates', ...options },
      validator: { validate: (value: unknown) => typeof value !== 'string' || isStorableText(value) },
    });
}

/** An instant as the domain reads it (`YYYY-MM-DDTHH:MM[:SS[.fff]](Z|±HH:MM)`); week dates and zone-less times are refused. */
export function IsInstant(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isInstant',
      target: target.constructor,
      propertyName,
      options: { message: '$property must be an ISO 8601 date-time with a zone, e.g. 2026-11-23T10:15:00Z', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && parseInstant(value) !== null },
    });
}
