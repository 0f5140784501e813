import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Embedded mode's bootstrap admin key when CONSENT_ADMIN_KEY is unset: generated on the first
 * start and kept (0600) beside the embedded database, so scripts keep working across restarts.
 */
export function embeddedAdminKey(dataDir: string): string {
  const file = join(dataDir, 'admin.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `clk_admin_${randomBytes(24).toString('base64url')}`, { mode: 0o600, flag: 'wx' });
  }
  return readFileSync(file, 'utf8').trim();
}
