import { randomBytes } from 'node:crypto';
// Relative: global setup and teardown import this file, and they do not see moduleNameMapper.
import { withPgClient } from '../../libs/runtime/src';

/**
 * Gives each test file its own database on the run's server, so files can migrate, truncate and
 * run in parallel without seeing each other. Names carry the run id (TEST_RUN_ID, set by
 * global-setup) so that global-teardown can drop exactly this run's databases on a shared server.
 */
export async function createTestDatabase(prefix = 'test'): Promise<string> {
  const adminUrl = adminDatabaseUrl();
  const name = databaseName(prefix);
  await withPgClient(adminUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops a database made by createTestDatabase, disconnecting anyone still using it. */
export async function dropTestDatabase(url: string): Promise<void> {
  await dropDatabases(adminDatabaseUrl(), [decodeURIComponent(new URL(url).pathname.slice(1))]);
}

/** Drops every database createTestDatabase made during the run `runId`. */
export async function dropRunDatabases(adminUrl: string, runId: string): Promise<void> {
  const { rows } = await withPgClient(adminUrl, (client) =>
    client.query<{ datname: string }>('SELECT datname FROM pg_database'),
  );
  const marker = `_${runId}_`;
  await dropDatabases(
    adminUrl,
    rows.map((row) => row.datname).filter((name) => name.includes(marker)),
  );
}

/** Postgres truncates identifiers beyond 63 bytes; the prefix is trimmed to keep the unique tail. */
function databaseName(prefix: string): string {
  const slug = prefix.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 32);
  const runId = process.env.TEST_RUN_ID ?? 'adhoc';
  return `${slug}_${runId}_${randomBytes(4).toString('hex')}`;
}

function adminDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    throw new Error('TEST_DATABASE_URL is not set: run the tests through jest (test/support/global-setup.ts)');
  }
  return url;
}

async function dropDatabases(adminUrl: string, names: string[]): Promise<void> {
  if (names.length === 0) {
    return;
  }
  await withPgClient(adminUrl, async (client) => {
    for (const name of names) {
      // FORCE: a test that forgot to close its pool must not make the drop fail.
      await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
    }
  });
}
