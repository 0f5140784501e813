import { ProblemException } from '../http/problem';

/**
 * A tree size in a path: a decimal without leading zeroes, as checkpoints write it. Parsed from the
 * raw string (not a Number-typed param, which the global pipe would already have coerced).
 */
export function parseTreeSize(value: string): number {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(value)) {
    throw ProblemException.of(400, 'validation_failed', 'invalid treeSize', [{ field: 'treeSize', message: 'treeSize must be a non-negative integer without leading zeroes' }]);
  }
  return Number(value);
}
