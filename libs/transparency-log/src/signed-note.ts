import { sign, verify } from 'node:crypto';
import { NoteSigner, NoteVerifier, publicKeyObject } from './ed25519-key';

export interface NoteSignature {
  name: string;
  keyId: Buffer;
  signature: Buffer;
}

export interface ParsedNote {
  text: string;
  signatures: NoteSignature[];
}

const DASH = '\u2014';

/** c2sp.org/signed-note: the text (ending in a newline), a blank line, one `— <name> <base64(key ID || signature)>` line. */
export function signNote(text: string, signer: NoteSigner): string {
  checkText(text);
  const signature = sign(null, Buffer.from(text, 'utf8'), signer.privateKey);
  return `${text}\n${DASH} ${signer.name} ${Buffer.concat([signer.keyId, signature]).toString('base64')}\n`;
}

/** Splits a note at its last blank line; throws on anything malformed. */
export function parseNote(note: string): ParsedNote {
  if (!note.endsWith('\n')) throw new Error('a signed note ends with a newline');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new Error('a signed note has a blank line before its signatures');
  const text = note.slice(0, split + 1);
  checkText(text);
  const lines = note.slice(split + 2, -1).split('\n');
  const signatures = lines.map((line) => {
    const match = /^\u2014 (\S+) ([A-Za-z0-9+/]+={0,2})$/u.exec(line);
    if (!match) throw new Error(`malformed signature line "${line}"`);
    const raw = Buffer.from(match[2], 'base64');
    if (raw.length < 5) throw new Error('a signature line holds a key ID and a signature');
    return { name: match[1], keyId: raw.subarray(0, 4), signature: raw.subarray(4) };
  });
  return { text, signatures };
}

/**
 * Opens a note with the verifiers one trusts: signatures of unknown keys are ignored, a known key's
 * failing signature rejects the note, and at least one known key must have signed. Returns the text.
 */
export function openNote(note: string, verifiers: NoteVerifier[]): string {
  const { text, signatures } = parseNote(note);
  let verified = 0;
  for (const signature of signatures) {
    const verifier = verifiers.find((v) => v.name === signature.name && v.keyId.equals(signature.keyId));
    if (!verifier) continue;
    if (!verify(null, Buffer.from(text, 'utf8'), publicKeyObject(verifier.publicKey), signature.signature)) {
      throw new Error(`the signature of ${signature.name} does not verify`);
    }
    verified += 1;
  }
  if (verified === 0) throw new Error('no signature from a known key');
  return text;
}

function checkText(text: string): void {
  if (!text.endsWith('\n')) throw new Error('a note text ends with a newline');
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x09\x0b-\x1f\x7f]/.test(text)) throw new Error('a note text has no control characters but newlines');
}
