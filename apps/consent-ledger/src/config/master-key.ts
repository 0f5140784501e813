import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMasterKey } from '@consent-ledger/ledger-store';

/**
 * The master key that wraps every stream's data key. Losing it makes all personal proof fields
 * unreadable, so when CONSENT_MASTER_KEY is unset it is generated once and kept in the data dir
 * (mode 0600) rather than regenerated per start.
 */
export function resolveMasterKey(configured: string | undefined, dataDir: string): Buffer {
  if (configured) return decodeMasterKey(configured, 'CONSENT_MASTER_KEY');
  const file = join(dataDir, 'master.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  return decodeMasterKey(readFileSync(file, 'utf8').trim(), file);
}

/** CONSENT_MASTER_KEY_PREVIOUS during a rotation; never generated. */
export function resolvePreviousMasterKey(configured: string | undefined): Buffer | undefined {
  return configured ? decodeMasterKey(configured, 'CONSENT_MASTER_KEY_PREVIOUS') : undefined;
}
