import { KeyObject, createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';

/** signed-note signature type of Ed25519 (c2sp.org/signed-note). */
export const ED25519_TYPE = 0x01;

// DER prefixes that wrap a raw 32-byte Ed25519 seed / public key as PKCS#8 / SPKI.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** An Ed25519 key named for signed notes: the name is the log's origin. */
export interface NoteSigner {
  name: string;
  privateKey: KeyObject;
  publicKey: Buffer;
  keyId: Buffer;
}

export interface NoteVerifier {
  name: string;
  publicKey: Buffer;
  keyId: Buffer;
}

/** key ID = SHA-256(name || 0x0A || 0x01 || public key)[:4]. */
export function noteKeyId(name: string, publicKey: Uint8Array): Buffer {
  return createHash('sha256').update(name).update(Buffer.of(0x0a, ED25519_TYPE)).update(publicKey).digest().subarray(0, 4);
}

function checkKeyName(name: string): void {
  if (name === '' || /[\s+]/u.test(name)) throw new Error(`invalid key name "${name}": non-empty, no spaces, no '+'`);
}

export function signerFromSeed(name: string, seed: Uint8Array): NoteSigner {
  checkKeyName(name);
  if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes');
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  const publicKey = Buffer.from(jwk.x as string, 'base64url');
  return { name, privateKey, publicKey, keyId: noteKeyId(name, publicKey) };
}

export function generateSeed(): Buffer {
  const { privateKey } = generateKeyPairSync('ed25519');
  return Buffer.from(privateKey.export({ format: 'jwk' }).d as string, 'base64url');
}

export function verifierOf(signer: NoteVerifier): NoteVerifier {
  return { name: signer.name, publicKey: signer.publicKey, keyId: signer.keyId };
}

export function publicKeyObject(publicKey: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
}

/** The vkey string of Go's sumdb/note: `<name>+<hex key id>+<base64(0x01 || public key)>`. */
export function formatVerifierKey(verifier: NoteVerifier): string {
  return `${verifier.name}+${verifier.keyId.toString('hex')}+${Buffer.concat([Buffer.of(ED25519_TYPE), verifier.publicKey]).toString('base64')}`;
}

export function parseVerifierKey(vkey: string): NoteVerifier {
  const [name, hexId, encoded] = splitTwice(vkey.trim());
  const key = Buffer.from(encoded ?? '', 'base64');
  if (!/^[0-9a-f]{8}$/.test(hexId ?? '') || key.length !== 33 || key[0] !== ED25519_TYPE) {
    throw new Error('malformed verifier key: expected <name>+<8 hex>+<base64 of 0x01 and a 32-byte Ed25519 key>');
  }
  checkKeyName(name);
  const publicKey = key.subarray(1);
  const keyId = noteKeyId(name, publicKey);
  if (keyId.toString('hex') !== hexId) throw new Error('verifier key: the key ID does not match the name and key');
  return { name, publicKey, keyId };
}

/** Go's signer key: `PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 || seed)>`. */
export function formatSignerKey(name: string, seed: Uint8Array): string {
  const signer = signerFromSeed(name, seed);
  return `PRIVATE+KEY+${name}+${signer.keyId.toString('hex')}+${Buffer.concat([Buffer.of(ED25519_TYPE), seed]).toString('base64')}`;
}

export function parseSignerKey(skey: string): NoteSigner {
  const trimmed = skey.trim();
  if (!trimmed.startsWith('PRIVATE+KEY+')) throw new Error('a signer key starts with PRIVATE+KEY+');
  const [name, hexId, encoded] = splitTwice(trimmed.slice('PRIVATE+KEY+'.length));
  const seed = Buffer.from(encoded ?? '', 'base64');
  if (seed.length !== 33 || seed[0] !== ED25519_TYPE) throw new Error('malformed signer key: expected base64 of 0x01 and a 32-byte seed');
  const signer = signerFromSeed(name, seed.subarray(1));
  if (signer.keyId.toString('hex') !== hexId) throw new Error('signer key: the key ID does not match the name and key');
  return signer;
}

/** The base64 part may contain '+': split at most twice, from the left. */
function splitTwice(value: string): [string, string | undefined, string | undefined] {
  const first = value.indexOf('+');
  const second = first < 0 ? -1 : value.indexOf('+', first + 1);
  if (second < 0) return [value, undefined, undefined];
  return [value.slice(0, first), value.slice(first + 1, second), value.slice(second + 1)];
}
