import { NoteSigner, formatVerifierKey, generateSeed, parseSignerKey, signerFromSeed } from '@consent-ledger/transparency-log';
import { JWK, calculateJwkThumbprint, exportJWK } from 'jose';
import { createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';

/**
 * The log's one Ed25519 key, named by the origin: it signs checkpoints (signed notes), consent
 * receipts (JWS) and the relay's messages. Auditors get it as a vkey and as a JWK set.
 */
export class LogKey {
  private constructor(
    readonly signer: NoteSigner,
    /** c2sp signed-note verifier key: `<origin>+<hex key id>+<base64(0x01 || key)>`. */
    readonly vkey: string,
    readonly jwk: JWK,
    /** RFC 7638 thumbprint of the public JWK, the receipts' `kid`. */
    readonly kid: string,
  ) {}

  get origin(): string {
    return this.signer.name;
  }

  static async resolve(config: AppConfig, dataSource: DataSource): Promise<LogKey> {
    const configured = config.signingKey ?? embeddedSeed(config.dataDir);
    let signer: NoteSigner;
    if (configured.startsWith('PRIVATE+KEY+')) {
      signer = parseSignerKey(configured);
      if (config.logOrigin && config.logOrigin !== signer.name) {
        throw new Error(`CONSENT_SIGNING_KEY names "${signer.name}" but CONSENT_LOG_ORIGIN is "${config.logOrigin}"`);
      }
    } else {
      const seed = Buffer.from(configured, 'base64');
      if (seed.length !== 32) throw new Error('CONSENT_SIGNING_KEY must be base64 of a 32-byte Ed25519 seed, or a PRIVATE+KEY+ signer key');
      signer = signerFromSeed(config.logOrigin ?? (await defaultOrigin(dataSource)), seed);
    }
    const jwk = { ...(await exportJWK(createPublicKey(signer.privateKey))), alg: 'EdDSA', use: 'sig' };
    const kid = await calculateJwkThumbprint(jwk);
    return new LogKey(signer, formatVerifierKey(signer), { ...jwk, kid }, kid);
  }
}

/** Generated once and kept (0600) beside the embedded database, like the master key: a new key per start would orphan every checkpoint. */
function embeddedSeed(dataDir: string): string {
  const file = join(dataDir, 'signing.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, generateSeed().toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  return readFileSync(file, 'utf8').trim();
}

/** The database cluster's own identifier: a log name that stays with the data, whatever host serves it. */
async function defaultOrigin(dataSource: DataSource): Promise<string> {
  const [row]: { system_identifier: string }[] = await dataSource.query('SELECT system_identifier::text FROM pg_control_system()');
  return `consent-ledger.local/${row.system_identifier}`;
}
