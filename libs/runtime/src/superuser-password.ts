import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** What clusters initialised before passwords were generated were given; replaced at their next start. */
export const LEGACY_PASSWORD = 'postgres';

/**
 * The embedded cluster's superuser password, random per cluster and kept (0600) inside its data
 * directory, so that a restart reuses it and nothing else on the machine can guess it.
 */
export class SuperuserPassword {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'superuser.password');
  }

  static generate(): string {
    return randomBytes(24).toString('base64url');
  }

  /** The stored password; null for a cluster from before passwords were generated. */
  async read(): Promise<string | null> {
    return existsSync(this.file) ? (await readFile(this.file, 'utf8')).trim() : null;
  }

  async write(password: string): Promise<void> {
    await writeFile(this.file, password, { mode: 0o600 });
  }
}
