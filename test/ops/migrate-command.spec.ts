import { LEDGER_MIGRATIONS } from '@consent-ledger/ledger-store';
import { withPgClient } from '@consent-ledger/runtime';
import { Writable } from 'node:stream';
import { readConfig } from '../../apps/consent-ledger/src/config/app-config';
import { runMigrateCommand } from '../../apps/consent-ledger/src/infrastructure/migrate-command';
import { LedgerApp } from '../e2e/ledger-app';
import { createTestDatabase, dropTestDatabase } from '../support/test-database';

/** Collects what the command prints. */
function output(): Writable & { text: string } {
  const sink = new Writable({ write(chunk, _encoding, done) { sink.text += String(chunk); done(); } }) as Writable & { text: string };
  sink.text = '';
  return sink;
}

describe('MIGRATIONS_AUTO=false and `main.js migrate` (the Kubernetes migration job)', () => {
  let databaseUrl: string;
  beforeAll(async () => {
    databaseUrl = await createTestDatabase('migrate');
  });
  afterAll(() => dropTestDatabase(databaseUrl));

  const migrationsApplied = () =>
    withPgClient(databaseUrl, async (client) => {
      const { rows } = await client.query<{ exists: boolean }>(`SELECT to_regclass('public.migrations') IS NOT NULL AS exists`);
      if (!rows[0].exists) return 0;
      return Number((await client.query('SELECT count(*) FROM migrations')).rows[0].count);
    });

  it('a replica with MIGRATIONS_AUTO=false neither migrates nor starts on a schema that is behind', async () => {
    await expect(LedgerApp.start({ DATABASE_URL: databaseUrl, MIGRATIONS_AUTO: 'false' })).rejects.toThrow(/schema is behind.*main\.js migrate/);
    expect(await migrationsApplied()).toBe(0);
  });

  it('migrate applies every migration once, then reports the schema up to date', async () => {
    const first = output();
    await runMigrateCommand(readConfig({ DATABASE_URL: databaseUrl }), first);
    expect(first.text).toContain(`applied ${LEDGER_MIGRATIONS.length} migration(s)`);
    expect(await migrationsApplied()).toBe(LEDGER_MIGRATIONS.length);
    const second = output();
    await runMigrateCommand(readConfig({ DATABASE_URL: databaseUrl }), second);
    expect(second.text).toBe('the schema is up to date\n');
  });

  it('after the job, a replica with MIGRATIONS_AUTO=false starts and serves', async () => {
    const ledger = await LedgerApp.start({ DATABASE_URL: databaseUrl, MIGRATIONS_AUTO: 'false' });
    try {
      expect((await ledger.get('/health/ready', null)).status).toBe(200);
    } finally {
      await ledger.close();
    }
  });

  it('migrate refuses to run without DATABASE_URL', async () => {
    await expect(runMigrateCommand(readConfig({}), output())).rejects.toThrow(/DATABASE_URL/);
  });
});
