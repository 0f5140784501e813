import { createHash } from 'node:crypto';

/** RFC 9162 2.1.1: MTH of the empty tree, SHA-256 of the empty string. */
export const EMPTY_ROOT = createHash('sha256').digest();

/** RFC 9162 2.1.1 leaf hash: SHA-256(0x00 || leaf). */
export function leafHash(leaf: Uint8Array): Buffer {
  return createHash('sha256').update(Buffer.of(0)).update(leaf).digest();
}

/** RFC 9162 2.1.1 interior node: SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(Buffer.of(1)).update(left).update(right).digest();
}

/** The largest power of two smaller than n (n > 1), the split point k of RFC 9162 2.1.1. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
