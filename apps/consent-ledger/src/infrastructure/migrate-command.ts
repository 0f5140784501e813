import { migrateLedgerSchema } from '@consent-ledger/ledger-store';
import { AppConfig } from '../config/app-config';

/** `main.js migrate`: applies the pending migrations to DATABASE_URL and exits, serving nothing. */
export async function runMigrateCommand(config: AppConfig, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  if (!config.databaseUrl) throw new Error('migrate needs DATABASE_URL (the embedded Postgres migrates itself at start)');
  const ran = await migrateLedgerSchema(config.databaseUrl);
  out.write(ran.length ? `applied ${ran.length} migration(s): ${ran.join(', ')}\n` : 'the schema is up to date\n');
}
