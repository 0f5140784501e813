import { concat, equalBytes, sha256 } from './bytes';

/** RFC 9162 2.1.1: leaf hash = SHA-256(0x00 || leaf); here the leaf is the 32 raw bytes of an event's hash. */
export const leafHash = (subtle: SubtleCrypto, leaf: Uint8Array): Promise<Uint8Array> => sha256(subtle, concat(Uint8Array.of(0), leaf));

export const nodeHash = (subtle: SubtleCrypto, left: Uint8Array, right: Uint8Array): Promise<Uint8Array> =>
  sha256(subtle, concat(Uint8Array.of(1), left, right));

/** RFC 9162 2.1.3.2: does `path` lead from the leaf hash at `index` to `root` in a tree of `treeSize` leaves? */
export async function verifyInclusion(
  subtle: SubtleCrypto, index: number, treeSize: number, leaf: Uint8Array, path: Uint8Array[], root: Uint8Array,
): Promise<boolean> {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize) || index < 0 || index >= treeSize) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(subtle, p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = await nodeHash(subtle, r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(r, root);
}
