import { EMPTY_ROOT, nodeHash, splitPoint } from './merkle-hash';
import { SubtreeSource, rangeHash } from './subtree';

/** MTH(D[0:size]). */
export function rootHash(source: SubtreeSource, size: number): Buffer {
  return size === 0 ? EMPTY_ROOT : rangeHash(source, 0, size);
}

/** RFC 9162 2.1.3.1 PATH(index, D[0:size]): from the leaf's sibling up to the root's child. */
export function inclusionProof(source: SubtreeSource, index: number, size: number): Buffer[] {
  if (!(index >= 0 && index < size)) throw new RangeError(`leaf ${index} is not in a tree of size ${size}`);
  const path = (start: number, end: number): Buffer[] => {
    if (end - start === 1) return [];
    const k = splitPoint(end - start);
    return index < start + k
      ? [...path(start, start + k), rangeHash(source, start + k, end)]
      : [...path(start + k, end), rangeHash(source, start, start + k)];
  };
  return path(0, size);
}

/** RFC 9162 2.1.4.1 PROOF(from, D[0:to]); empty when from is 0 or equals to. */
export function consistencyProof(source: SubtreeSource, from: number, to: number): Buffer[] {
  if (!(from >= 0 && from <= to)) throw new RangeError(`no consistency proof from ${from} to ${to}`);
  if (from === 0 || from === to) return [];
  const subproof = (m: number, start: number, end: number, complete: boolean): Buffer[] => {
    const n = end - start;
    if (m === n) return complete ? [] : [rangeHash(source, start, end)];
    const k = splitPoint(n);
    return m <= k
      ? [...subproof(m, start, start + k, complete), rangeHash(source, start + k, end)]
      : [...subproof(m - k, start + k, end, false), rangeHash(source, start, start + k)];
  };
  return subproof(from, 0, to, true);
}

const odd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);

/** RFC 9162 2.1.3.2: does `proof` show the leaf hash at `index` in the tree of `size` with `root`? */
export function verifyInclusion(index: number, size: number, leaf: Uint8Array, proof: Uint8Array[], root: Uint8Array): boolean {
  if (!(index >= 0 && index < size)) return false;
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && Buffer.from(r).equals(Buffer.from(root));
}

/** RFC 9162 2.1.4.2: is the tree of `toSize` with `toRoot` an extension of the one of `fromSize` with `fromRoot`? */
export function verifyConsistency(fromSize: number, toSize: number, fromRoot: Uint8Array, toRoot: Uint8Array, proof: Uint8Array[]): boolean {
  const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
  if (fromSize > toSize || fromSize < 0) return false;
  if (fromSize === toSize) return proof.length === 0 && same(fromRoot, toRoot);
  if (fromSize === 0) return proof.length === 0;
  const path = Math.log2(fromSize) % 1 === 0 ? [fromRoot, ...proof] : [...proof];
  if (path.length === 0) return false;
  let fn = fromSize - 1;
  let sn = toSize - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Uint8Array = path[0];
  let sr: Uint8Array = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && same(fr, fromRoot) && same(sr, toRoot);
}


