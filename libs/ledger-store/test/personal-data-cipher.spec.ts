import { randomBytes } from 'node:crypto';
import { PersonalDataCipher, decodeMasterKey } from '@consent-ledger/ledger-store';

describe('PersonalDataCipher during a master key rotation', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  const fields = { ip: '203.0.113.7', userAgent: 'Firefox/140', evidence: { form: 'v3' } };

  it('opens data keys under the previous master key, and rewraps them so that the new key alone opens them', () => {
    const before = new PersonalDataCipher(oldKey);
    const wrapped = before.newWrappedDataKey();
    const sealed = before.seal(fields, wrapped);

    const rotating = new PersonalDataCipher(newKey, oldKey);
    expect(rotating.open(sealed.ciphertext, wrapped)).toEqual(fields);
    const rewrapped = rotating.rewrap(wrapped)!;
    expect(rewrapped).toBeInstanceOf(Buffer);
    expect(rewrapped.equals(wrapped)).toBe(false);
    // Already under the new key: nothing to do.
    expect(rotating.rewrap(rewrapped)).toBeNull();

    const after = new PersonalDataCipher(newKey);
    expect(after.open(sealed.ciphertext, rewrapped)).toEqual(fields);
    expect(() => after.open(sealed.ciphertext, wrapped)).toThrow();
  });

  it('wraps new data keys under the current master key only', () => {
    const rotating = new PersonalDataCipher(newKey, oldKey);
    const wrapped = rotating.newWrappedDataKey();
    expect(new PersonalDataCipher(newKey).open(rotating.seal(fields, wrapped).ciphertext, wrapped)).toEqual(fields);
    expect(() => new PersonalDataCipher(oldKey).open(rotating.seal(fields, wrapped).ciphertext, wrapped)).toThrow();
  });

  it('refuses a data key that neither master key opens, and keys that are not 32 bytes', () => {
    const stranger = new PersonalDataCipher(randomBytes(32)).newWrappedDataKey();
    expect(() => new PersonalDataCipher(newKey, oldKey).rewrap(stranger)).toThrow();
    expect(() => new PersonalDataCipher(newKey, randomBytes(16))).toThrow(/32 bytes/);
    expect(() => decodeMasterKey(randomBytes(31).toString('base64'), 'CONSENT_MASTER_KEY')).toThrow(/CONSENT_MASTER_KEY must be base64 of exactly 32 bytes/);
  });
});
