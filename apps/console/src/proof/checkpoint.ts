import { fromBase64 } from './bytes';

/** The body of a c2sp.org/tlog-checkpoint: origin, tree size, root hash, optional extension lines. */
export interface Checkpoint {
  origin: string;
  treeSize: number;
  rootHash: Uint8Array;
}

export function parseCheckpointText(text: string): Checkpoint {
  const [origin, size, root] = text.split('\n');
  if (!origin || /[\s+]/.test(origin)) throw new Error('checkpoint: bad origin line');
  if (!/^(?:0|[1-9][0-9]*)$/.test(size ?? '')) throw new Error('checkpoint: bad tree size line');
  const rootHash = fromBase64(root ?? '');
  if (rootHash.length !== 32) throw new Error('checkpoint: the root hash is not 32 bytes');
  return { origin, treeSize: Number(size), rootHash };
}
