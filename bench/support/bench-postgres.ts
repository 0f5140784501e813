import { startEmbeddedPostgres, withPgClient } from '@consent-ledger/runtime';
import { ledgerDataSourceOptions } from '@consent-ledger/ledger-store';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';

/** The run's own Postgres cluster: every figure and every baseline talk to this one server. */
export interface BenchPostgres {
  version: string;
  /** A new, migrated ledger database; returns its URL. */
  createLedgerDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A production-like buffer cache: the default 128 MB would not hold the 1M-row projection, and the
 * figures would then measure page copies from the OS cache rather than the service.
 */
const SETTINGS = { shared_buffers: '1GB', max_connections: '200' };

export async function startBenchPostgres(durable: boolean, log: (line: string) => void): Promise<BenchPostgres> {
  const dataDir = await mkdtemp(join(tmpdir(), 'consent-ledger-bench-pg-'));
  let cluster = await startEmbeddedPostgres({ dataDir, durable });
  // Settings needing a restart are written with ALTER SYSTEM, since startEmbeddedPostgres takes no extra flags.
  await withPgClient(cluster.url, async (client) => {
    for (const [name, value] of Object.entries(SETTINGS)) await client.query(`ALTER SYSTEM SET ${name} = '${value}'`);
  });
  await cluster.stop();
  cluster = await startEmbeddedPostgres({ dataDir, durable, port: cluster.port });
  const adminUrl = cluster.url;
  const version = await withPgClient(adminUrl, async (client) => (await client.query('SHOW server_version')).rows[0].server_version as string);
  log(`postgres ${version} on port ${cluster.port} (${durable ? 'fsync on' : 'fsync off'}) in ${dataDir}`);

  return {
    version,
    async createLedgerDatabase(name) {
      await withPgClient(adminUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      // Migrated here rather than by the service, so fixtures can be seeded before it starts.
      const dataSource = await new DataSource(ledgerDataSourceOptions(url.toString(), 2)).initialize();
      await dataSource.destroy();
      return url.toString();
    },
    async stop() {
      await cluster.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
