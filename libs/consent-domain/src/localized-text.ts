import { LocalizedText } from './purpose';

/** Key order is irrelevant: `{fr, en}` and `{en, fr}` are the same text, so republishing it is a no-op. */
export const sameText = (a: LocalizedText, b: LocalizedText): boolean => {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
};
