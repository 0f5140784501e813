import { fromBase64 } from './bytes';

const HEADER = 'c2sp.org/tlog-proof@v1';

/** A c2sp.org/tlog-proof@v1 text: leaf index, inclusion path, and the checkpoint it leads to. */
export interface TlogProof {
  index: number;
  path: Uint8Array[];
  checkpoint: string;
}

export function parseTlogProof(text: string): TlogProof {
  const split = text.indexOf('\n\n');
  if (split < 0) throw new Error('tlog-proof: no blank line before the checkpoint');
  const lines = text.slice(0, split).split('\n');
  if (lines.shift() !== HEADER) throw new Error(`tlog-proof: first line is not ${HEADER}`);
  if (lines[0]?.startsWith('extra ')) lines.shift();
  const index = /^index (0|[1-9][0-9]*)$/.exec(lines.shift() ?? '');
  if (!index) throw new Error('tlog-proof: bad index line');
  const path = lines.map((line) => {
    const hash = fromBase64(line);
    if (hash.length !== 32) throw new Error('tlog-proof: a path hash is not 32 bytes');
    return hash;
  });
  return { index: Number(index[1]), path, checkpoint: text.slice(split + 2) };
}
