import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The master key that wraps every stream's data key. Losing it makes all personal proof fields
 * unreadable, so when CONSENT_MASTER_KEY is unset it is generated once and kept in the data dir
 * (mode 0600) rather than regenerated per start.
 */
export function resolveMasterKey(configured: string | undefined, dataDir: string): Buffer {
  if (configured) return decode(configured, 'CONSENT_MASTER_KEY');
  const file = join(dataDir, 'master.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  return decode(readFileSync(file, 'utf8').trim(), file);
}

/** CONSENT_MASTER_KEY_PREVIOUS during a rotation; never generated. */
export function resolvePreviousMasterKey(configured: string | undefined): Buffer | undefined {
  return configured ? decode(configured, 'CONSENT_MASTER_KEY_PREVIOUS') : undefined;
}

function decode(base64: string, origin: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new Error(`${origin} must be base64 of exactly 32 bytes`);
  return key;
}
