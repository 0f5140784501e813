/** A c2sp.org/tlog-checkpoint body: origin, tree size, base64 root hash, each on its own line. */
export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Buffer;
}

export function formatCheckpoint(checkpoint: Checkpoint): string {
  if (checkpoint.origin === '' || /[\s+]/u.test(checkpoint.origin)) throw new Error('an origin has no spaces and no +');
  return `${checkpoint.origin}\n${checkpoint.size}\n${checkpoint.rootHash.toString('base64')}\n`;
}

/** Parses a checkpoint's note text (as openNote returns it). Extension lines are refused: this log writes none. */
export function parseCheckpoint(text: string): Checkpoint {
  const lines = text.split('\n');
  if (lines.length !== 4 || lines[3] !== '') throw new Error('a checkpoint is three lines: origin, size, root hash');
  const [origin, size, root] = lines;
  if (origin === '' || /[\s+]/u.test(origin)) throw new Error('malformed checkpoint origin');
  if (!/^(0|[1-9][0-9]*)$/.test(size) || !Number.isSafeInteger(Number(size))) throw new Error('malformed checkpoint tree size');
  const rootHash = Buffer.from(root, 'base64');
  if (rootHash.length !== 32 || rootHash.toString('base64') !== root) throw new Error('malformed checkpoint root hash');
  return { origin, size: Number(size), rootHash };
}
