import { nodeHash, splitPoint } from './merkle-hash';

/**
 * A complete subtree: the 2^level leaves starting at leaf index * 2^level. Every hash a proof needs
 * is one of these or a right-edge composition of them, so a log that keeps them can answer proofs
 * for any tree size without recomputing the tree.
 */
export interface SubtreeKey {
  level: number;
  index: number;
}

export interface StoredSubtree extends SubtreeKey {
  hash: Buffer;
}

/** Looks up the hash of a complete subtree; it must exist for the sizes being proven. */
export type SubtreeSource = (level: number, index: number) => Buffer;

function isPowerOfTwo(n: number): boolean {
  return n > 0 && Math.log2(n) % 1 === 0;
}

/**
 * MTH(D[start:end]) as RFC 9162 2.1.1 recurses. In that recursion `start` is always a multiple of a
 * power of two at least as large as the range, so a power-of-two range is one stored subtree.
 */
export function rangeHash(source: SubtreeSource, start: number, end: number): Buffer {
  const size = end - start;
  if (isPowerOfTwo(size)) {
    const level = Math.log2(size);
    return source(level, start / size);
  }
  const k = splitPoint(size);
  return nodeHash(rangeHash(source, start, start + k), rangeHash(source, start + k, end));
}

/** The complete subtrees that make up D[0:size], largest (leftmost) first: the right edge an appender keeps. */
export function frontierKeys(size: number): SubtreeKey[] {
  const keys: SubtreeKey[] = [];
  let start = 0;
  for (let level = Math.floor(Math.log2(Math.max(size, 1))); level >= 0; level -= 1) {
    const width = 2 ** level;
    if (size - start >= width) {
      keys.push({ level, index: start / width });
      start += width;
    }
  }
  return keys;
}

/**
 * Which subtrees a computation reads, found by running it once against a recording source: the
 * caller fetches exactly those (one query) and runs the computation again on the fetched hashes.
 */
export function subtreesRead(compute: (source: SubtreeSource) => unknown): SubtreeKey[] {
  const seen = new Map<string, SubtreeKey>();
  const placeholder = Buffer.alloc(32);
  compute((level, index) => {
    seen.set(`${level}:${index}`, { level, index });
    return placeholder;
  });
  return [...seen.values()];
}

/** A SubtreeSource over fetched subtrees; a missing one is a bug in the caller's fetch. */
export function subtreeMap(subtrees: StoredSubtree[]): SubtreeSource {
  const map = new Map(subtrees.map((s) => [`${s.level}:${s.index}`, s.hash]));
  return (level, index) => {
    const hash = map.get(`${level}:${index}`);
    if (!hash) throw new Error(`subtree ${level}:${index} is not stored`);
    return hash;
  };
}
