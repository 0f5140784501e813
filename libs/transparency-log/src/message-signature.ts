import { KeyObject, sign, verify } from 'node:crypto';
import { publicKeyObject } from './ed25519-key';

/** The Kafka header that carries a message's signature: base64 of the 64-byte Ed25519 signature. */
export const MESSAGE_SIGNATURE_HEADER = 'ledger-signature';

const ABSENT = 0xffffffff;

/**
 * The exact bytes a message signature covers: topic, key and value, each as a 4-byte big-endian
 * length then its bytes (UTF-8 for the topic); a null key or value (a tombstone) is the length
 * 0xFFFFFFFF with no bytes, so it differs from an empty one. The signature binds the topic, so a
 * record cannot be replayed onto another topic; and since the bytes start with a length (control
 * characters), they can never be a signed note's text, which the same key also signs.
 */
export function messageSignatureBytes(topic: string, key: Uint8Array | string | null, value: Uint8Array | string | null): Buffer {
  const part = (bytes: Uint8Array | string | null): Buffer[] => {
    if (bytes === null) return [u32(ABSENT)];
    const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes);
    return [u32(buffer.length), buffer];
  };
  return Buffer.concat([...part(topic), ...part(key), ...part(value)]);
}

export function signMessage(privateKey: KeyObject, topic: string, key: Uint8Array | string | null, value: Uint8Array | string | null): string {
  return sign(null, messageSignatureBytes(topic, key, value), privateKey).toString('base64');
}

export function verifyMessage(
  publicKey: Uint8Array | KeyObject,
  topic: string,
  key: Uint8Array | string | null,
  value: Uint8Array | string | null,
  signature: string,
): boolean {
  const raw = Buffer.from(signature, 'base64');
  if (raw.length !== 64) return false;
  const keyObject = publicKey instanceof KeyObject ? publicKey : publicKeyObject(publicKey);
  return verify(null, messageSignatureBytes(topic, key, value), keyObject, raw);
}

function u32(n: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(n);
  return buffer;
}
