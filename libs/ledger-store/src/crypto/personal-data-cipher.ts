import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import canonicalize from 'canonicalize';

/** Proof fields that identify a person: encrypted at rest, never published, shredded on erasure. */
export interface PersonalProof {
  ip?: string;
  userAgent?: string;
  evidence?: unknown;
}

export interface SealedPersonalProof {
  /** iv || tag || AES-256-GCM ciphertext of {salt, fields}. */
  ciphertext: Buffer;
  /** SHA-256 over the salt and the canonical fields: what the hash chain covers. */
  digest: string;
}

/** A master key as configured: base64 of exactly 32 bytes. `origin` names the setting in the error. */
export function decodeMasterKey(base64: string, origin: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new Error(`${origin} must be base64 of exactly 32 bytes`);
  return key;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Envelope encryption: each stream has its own data key, stored wrapped by the master key.
 * Destroying a stream's wrapped key makes its personal fields unreadable (crypto-shredding)
 * while the digests in the hash chain stay verifiable. The salt lives inside the ciphertext, so
 * after shredding a digest cannot be brute-forced back to, say, an IPv4 address.
 */
export class PersonalDataCipher {
  /**
   * `previousMasterKey` is set while the master key is rotated: data keys not rewrapped yet are still
   * under it. New data keys are always wrapped by `masterKey`.
   */
  constructor(
    private readonly masterKey: Buffer,
    private readonly previousMasterKey?: Buffer,
  ) {
    for (const key of [masterKey, previousMasterKey]) {
      if (key && key.length !== 32) throw new Error('a master key must be 32 bytes (base64 of 32 random bytes)');
    }
  }

  newWrappedDataKey(): Buffer {
    return encrypt(this.masterKey, randomBytes(32));
  }

  seal(fields: PersonalProof, wrappedDataKey: Buffer): SealedPersonalProof {
    const salt = randomBytes(16).toString('base64');
    const canonicalFields = canonicalize(fields) as string;
    const digest = createHash('sha256').update(salt).update(canonicalFields).digest('hex');
    const plaintext = Buffer.from(JSON.stringify({ salt, fields }));
    return { ciphertext: encrypt(this.unwrap(wrappedDataKey), plaintext), digest };
  }

  open(ciphertext: Buffer, wrappedDataKey: Buffer): PersonalProof {
    const plaintext = decrypt(this.unwrap(wrappedDataKey), ciphertext);
    return (JSON.parse(plaintext.toString('utf8')) as { fields: PersonalProof }).fields;
  }

  /**
   * The data key wrapped by the current master key, or null when it already is. Throws when neither
   * master key opens it. The plaintext key lives only in this call's memory.
   */
  rewrap(wrappedDataKey: Buffer): Buffer | null {
    if (opens(this.masterKey, wrappedDataKey)) return null;
    return encrypt(this.masterKey, this.unwrap(wrappedDataKey));
  }

  /** Current key first; the previous one only for data keys a rotation has not reached yet. */
  private unwrap(wrappedDataKey: Buffer): Buffer {
    try {
      return decrypt(this.masterKey, wrappedDataKey);
    } catch (error) {
      if (!this.previousMasterKey) throw error;
      return decrypt(this.previousMasterKey, wrappedDataKey);
    }
  }
}

/** Whether `key` authenticates `sealed` (AES-GCM: a wrong key fails the tag, it never yields garbage). */
function opens(key: Buffer, sealed: Buffer): boolean {
  try {
    decrypt(key, sealed);
    return true;
  } catch {
    return false;
  }
}

function encrypt(key: Buffer, plaintext: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

function decrypt(key: Buffer, sealed: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}
