import { formatSignerKey, generateSeed, parseVerifierKey } from '@consent-ledger/transparency-log';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { readConfig } from '../../apps/consent-ledger/src/config/app-config';
import { LogKey } from '../../apps/consent-ledger/src/proof/log-key';

/** Only the default origin queries the database; these cases never reach it. */
const noDatabase = {} as DataSource;
const config = (env: Record<string, string>) => readConfig({ CONSENT_DATA_DIR: mkdtempSync(join(tmpdir(), 'log-key-')), ...env });

describe('LogKey from configuration', () => {
  it('takes a base64 seed with the configured origin', async () => {
    const seed = generateSeed();
    const key = await LogKey.resolve(config({ CONSENT_SIGNING_KEY: seed.toString('base64'), CONSENT_LOG_ORIGIN: 'ledger.example/prod' }), noDatabase);
    expect(parseVerifierKey(key.vkey).name).toBe('ledger.example/prod');
    expect(key.jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', kid: key.kid });
  });

  it('takes a Go signer key, whose name is the origin, and refuses another origin beside it', async () => {
    const skey = formatSignerKey('ledger.example/prod', generateSeed());
    expect((await LogKey.resolve(config({ CONSENT_SIGNING_KEY: skey }), noDatabase)).origin).toBe('ledger.example/prod');
    await expect(LogKey.resolve(config({ CONSENT_SIGNING_KEY: skey, CONSENT_LOG_ORIGIN: 'other.example/log' }), noDatabase)).rejects.toThrow(/names "ledger.example\/prod"/);
  });

  it('refuses a seed that is not 32 bytes', async () => {
    await expect(LogKey.resolve(config({ CONSENT_SIGNING_KEY: 'c2hvcnQ=', CONSENT_LOG_ORIGIN: 'x.example/l' }), noDatabase)).rejects.toThrow(/32-byte/);
  });

  it('generates a key once into the data directory (0600) and keeps it across starts', async () => {
    const settings = config({ CONSENT_LOG_ORIGIN: 'x.example/l' });
    const first = await LogKey.resolve(settings, noDatabase);
    const second = await LogKey.resolve(settings, noDatabase);
    expect(second.vkey).toBe(first.vkey);
    const file = join(settings.dataDir, 'signing.key');
    expect(Buffer.from(readFileSync(file, 'utf8'), 'base64')).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
