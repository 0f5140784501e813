import { concat, equalBytes, fromBase64, fromHex, sha256, toHex, utf8 } from './bytes';

const ED25519 = 0x01;

/** A signed-note verifier key "<name>+<hex8 key id>+<base64(0x01 || 32-byte key)>" (c2sp.org/signed-note). */
export interface VerifierKey {
  name: string;
  keyId: Uint8Array;
  publicKey: Uint8Array;
}

export async function parseVerifierKey(subtle: SubtleCrypto, vkey: string): Promise<VerifierKey> {
  const text = vkey.trim();
  // The base64 part may itself contain '+': split at the first two only.
  const first = text.indexOf('+');
  const second = text.indexOf('+', first + 1);
  if (first <= 0 || second < 0) throw new Error('verifier key: expected <name>+<key id>+<key>');
  const name = text.slice(0, first);
  const keyId = fromHex(text.slice(first + 1, second));
  const typed = fromBase64(text.slice(second + 1));
  if (keyId.length !== 4) throw new Error('verifier key: the key id is not 4 bytes');
  if (typed.length !== 33 || typed[0] !== ED25519) throw new Error('verifier key: not an Ed25519 key');
  const publicKey = typed.slice(1);
  const expectedId = await keyIdOf(subtle, name, publicKey);
  if (!equalBytes(expectedId, keyId)) throw new Error(`verifier key: key id ${toHex(keyId)} does not match the key (${toHex(expectedId)})`);
  return { name, keyId, publicKey };
}

/** key ID = SHA-256(name || 0x0A || 0x01 || public key)[:4]. */
export async function keyIdOf(subtle: SubtleCrypto, name: string, publicKey: Uint8Array): Promise<Uint8Array> {
  return (await sha256(subtle, concat(utf8(name), Uint8Array.of(0x0a, ED25519), publicKey))).slice(0, 4);
}

export interface SignedNote {
  /** The signed text, including its final newline. */
  text: string;
  signatures: { name: string; keyId: Uint8Array; signature: Uint8Array }[];
}

/** Splits at the LAST blank line; every line after it must be a signature line. */
export function parseSignedNote(note: string): SignedNote {
  if (!note.endsWith('\n')) throw new Error('signed note: does not end with a newline');
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(note)) throw new Error('signed note: control characters');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new Error('signed note: no blank line before the signatures');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  const signatures = lines.map((line) => {
    const match = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!match) throw new Error(`signed note: malformed signature line "${line.slice(0, 40)}"`);
    const raw = fromBase64(match[2]);
    if (raw.length < 5) throw new Error('signed note: signature too short');
    return { name: match[1], keyId: raw.slice(0, 4), signature: raw.slice(4) };
  });
  if (signatures.length === 0) throw new Error('signed note: no signature');
  return { text, signatures };
}

/**
 * Verifies a note with one known key: signatures by other keys are ignored, a failing signature by
 * the known key rejects the note, and so does the absence of any signature by it.
 */
export async function verifySignedNote(subtle: SubtleCrypto, note: string, key: VerifierKey): Promise<SignedNote> {
  const parsed = parseSignedNote(note);
  const ours = parsed.signatures.filter((s) => s.name === key.name && equalBytes(s.keyId, key.keyId));
  if (ours.length === 0) throw new Error(`signed note: no signature by ${key.name}+${toHex(key.keyId)}`);
  const publicKey = await subtle.importKey('raw', key.publicKey as BufferSource, { name: 'Ed25519' }, false, ['verify']);
  for (const { signature } of ours) {
    const valid = await subtle.verify({ name: 'Ed25519' }, publicKey, signature as BufferSource, utf8(parsed.text) as BufferSource);
    if (!valid) throw new Error(`signed note: the signature by ${key.name} does not verify`);
  }
  return parsed;
}
