/** c2sp.org/tlog-proof@v1: a leaf index, its inclusion proof, and the signed checkpoint it leads to. */
export interface TlogProof {
  index: number;
  hashes: Buffer[];
  /** The signed note, verbatim. */
  checkpoint: string;
  extra?: Buffer;
}

const HEADER = 'c2sp.org/tlog-proof@v1';

export function formatTlogProof(proof: TlogProof): string {
  const lines = [HEADER];
  if (proof.extra) lines.push(`extra ${proof.extra.toString('base64')}`);
  lines.push(`index ${proof.index}`, ...proof.hashes.map((h) => h.toString('base64')));
  return `${lines.join('\n')}\n\n${proof.checkpoint}`;
}

export function parseTlogProof(text: string): TlogProof {
  const split = text.indexOf('\n\n');
  if (split < 0) throw new Error('a tlog-proof has a blank line before its checkpoint');
  const lines = text.slice(0, split).split('\n');
  if (lines.shift() !== HEADER) throw new Error(`a tlog-proof starts with ${HEADER}`);
  let extra: Buffer | undefined;
  if (lines[0]?.startsWith('extra ')) extra = Buffer.from((lines.shift() as string).slice(6), 'base64');
  const index = /^index (0|[1-9][0-9]*)$/.exec(lines.shift() ?? '');
  if (!index) throw new Error('malformed tlog-proof index line');
  const hashes = lines.map((line) => {
    const hash = Buffer.from(line, 'base64');
    if (hash.length !== 32 || hash.toString('base64') !== line) throw new Error(`malformed tlog-proof hash "${line}"`);
    return hash;
  });
  return { index: Number(index[1]), hashes, checkpoint: text.slice(split + 2), ...(extra ? { extra } : {}) };
}
