import { createHash } from 'node:crypto';
import {
  MerkleAppender, StoredSubtree, consistencyProof, frontierKeys, inclusionProof, leafHash, rootHash, subtreeMap,
  subtreesRead, verifyConsistency, verifyInclusion,
} from '@consent-ledger/transparency-log';

/**
 * RFC 9162 2.1, written out literally over arrays of leaves (MTH, PATH, PROOF/SUBPROOF), as the
 * reference the stored-subtree implementation must agree with.
 */
const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const memo = new Map<string, Buffer>();
function mth(d: Buffer[], start: number, end: number): Buffer {
  const key = `${start}:${end}`;
  const known = memo.get(key);
  if (known) return known;
  const n = end - start;
  let result: Buffer;
  if (n === 0) result = sha();
  else if (n === 1) result = sha(Buffer.of(0), d[start]);
  else {
    let k = 1;
    while (k * 2 < n) k *= 2;
    result = sha(Buffer.of(1), mth(d, start, start + k), mth(d, start + k, end));
  }
  memo.set(key, result);
  return result;
}
function refPath(m: number, d: Buffer[], start: number, end: number): Buffer[] {
  const n = end - start;
  if (n === 1) return [];
  let k = 1;
  while (k * 2 < n) k *= 2;
  return m < k
    ? [...refPath(m, d, start, start + k), mth(d, start + k, end)]
    : [...refPath(m - k, d, start + k, end), mth(d, start, start + k)];
}
function refSubproof(m: number, d: Buffer[], start: number, end: number, b: boolean): Buffer[] {
  const n = end - start;
  if (m === n) return b ? [] : [mth(d, start, end)];
  let k = 1;
  while (k * 2 < n) k *= 2;
  return m <= k
    ? [...refSubproof(m, d, start, start + k, b), mth(d, start + k, end)]
    : [...refSubproof(m - k, d, start + k, end, false), mth(d, start, start + k)];
}

const MAX = 200;
const leaves = Array.from({ length: MAX }, (_, i) => sha(Buffer.from(`event ${i}`)));
const stored: StoredSubtree[] = [];
const appender = new MerkleAppender(0, []);
for (const leaf of leaves) stored.push(...appender.append(leafHash(leaf)));
const source = subtreeMap(stored);
const hex = (hashes: Buffer[]) => hashes.map((h) => h.toString('hex'));

describe('Merkle tree from stored complete subtrees (RFC 9162 2.1)', () => {
  it('has the reference root at every size 0..200', () => {
    const growing = new MerkleAppender(0, []);
    for (let n = 0; n <= MAX; n += 1) {
      expect(rootHash(source, n).toString('hex')).toBe(mth(leaves, 0, n).toString('hex'));
      expect(growing.root().toString('hex')).toBe(mth(leaves, 0, n).toString('hex'));
      if (n < MAX) growing.append(leafHash(leaves[n]));
    }
  });

  it('gives the reference inclusion proof for every index of every size 1..200, and it verifies', () => {
    for (let n = 1; n <= MAX; n += 1) {
      const root = mth(leaves, 0, n);
      for (let m = 0; m < n; m += 1) {
        const proof = inclusionProof(source, m, n);
        expect(hex(proof)).toEqual(hex(refPath(m, leaves, 0, n)));
        expect(verifyInclusion(m, n, leafHash(leaves[m]), proof, root)).toBe(true);
      }
    }
  });

  it('gives the reference consistency proof for every pair 1 <= m <= n <= 200, and it verifies', () => {
    for (let n = 1; n <= MAX; n += 1) {
      const root = mth(leaves, 0, n);
      for (let m = 1; m <= n; m += 1) {
        const proof = consistencyProof(source, m, n);
        expect(hex(proof)).toEqual(hex(m === n ? [] : refSubproof(m, leaves, 0, n, true)));
        expect(verifyConsistency(m, n, mth(leaves, 0, m), root, proof)).toBe(true);
      }
    }
  });

  it('rejects an inclusion proof for another leaf, a wrong root, a changed or truncated path (the size is bound by the signed checkpoint)', () => {
    for (let n = 2; n <= MAX; n += 7) {
      const root = mth(leaves, 0, n);
      for (let m = 0; m < n; m += 3) {
        const proof = inclusionProof(source, m, n);
        const other = (m + 1) % n;
        expect(verifyInclusion(m, n, leafHash(leaves[other]), proof, root)).toBe(false);
        expect(verifyInclusion(m, n, leafHash(leaves[m]), proof, mth(leaves, 0, n - 1))).toBe(false);
        expect(verifyInclusion(m, n, leafHash(leaves[m]), proof.slice(1), root)).toBe(false);
        const changed = proof.map((h, i) => (i === 0 ? sha(h) : h));
        expect(verifyInclusion(m, n, leafHash(leaves[m]), changed, root)).toBe(false);
      }
    }
  });

  it('rejects a consistency proof against a different old root or a changed proof', () => {
    const forked = leaves.map((leaf, i) => (i === 40 ? sha(Buffer.from('rewritten')) : leaf));
    memo.clear();
    for (let n = 50; n <= MAX; n += 13) {
      for (let m = 41; m < n; m += 5) {
        const proof = consistencyProof(source, m, n);
        const forkedOld = mth(forked, 0, m);
        memo.clear();
        expect(verifyConsistency(m, n, forkedOld, mth(leaves, 0, n), proof)).toBe(false);
        if (proof.length > 0) {
          const changed = proof.map((h, i) => (i === proof.length - 1 ? sha(h) : h));
          expect(verifyConsistency(m, n, mth(leaves, 0, m), mth(leaves, 0, n), changed)).toBe(false);
        }
        memo.clear();
      }
    }
  });

  it('reads only O(log n) stored subtrees per proof, and names them before reading', () => {
    const keys = subtreesRead((s) => inclusionProof(s, 77, 200));
    expect(keys.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(200)));
    expect(frontierKeys(200)).toEqual([{ level: 7, index: 0 }, { level: 6, index: 2 }, { level: 3, index: 24 }]);
  });

  it('restarts an appender from a stored right edge', () => {
    const edge = frontierKeys(150).map(({ level, index }) => ({ level, index, hash: source(level, index) }));
    const resumed = new MerkleAppender(150, edge);
    const more = leaves.slice(150).flatMap((leaf) => resumed.append(leafHash(leaf)));
    expect(rootHash(subtreeMap([...stored.filter((s) => s.index * 2 ** s.level < 150 && (s.index + 1) * 2 ** s.level <= 150), ...more]), 200))
      .toEqual(mth(leaves, 0, 200));
  });
});
