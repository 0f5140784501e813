import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
// Relative, not '@consent-ledger/runtime': jest loads global setup through Node's own resolver,
// which knows nothing of moduleNameMapper.
import { dockerAvailable, startEmbeddedPostgres } from '../../libs/runtime/src';

/** The Postgres server of a test run. */
export interface TestPostgres {
  /** Superuser URL; each test file creates its own database from it (test-database.ts). */
  url: string;
  source: 'DATABASE_URL' | 'testcontainers' | 'embedded';
  stop(): Promise<void>;
}

/**
 * Picks the server for a test run: the one named by DATABASE_URL (left running), else a
 * postgres:17 container when a Docker engine answers, else an embedded cluster in a fresh
 * temporary directory (the path taken on machines without Docker, including CI).
 */
export async function startPostgres(): Promise<TestPostgres> {
  const external = process.env.DATABASE_URL;
  if (external) {
    return { url: external, source: 'DATABASE_URL', stop: async () => undefined };
  }
  return (await dockerAvailable()) ? startContainer() : startEmbedded();
}

/** Durability off, as for the embedded cluster: the data dies with the run. */
const THROWAWAY_SETTINGS = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];

async function startContainer(): Promise<TestPostgres> {
  // Loaded lazily: testcontainers is only needed, and only worth its import time, with Docker.
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer('postgres:17-alpine')
    .withCommand(['postgres', ...THROWAWAY_SETTINGS])
    .start();
  return {
    url: container.getConnectionUri(),
    source: 'testcontainers',
    stop: async () => {
      await container.stop();
    },
  };
}

async function startEmbedded(): Promise<TestPostgres> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'consent-ledger-test-pg-'));
  const removeDataDir = (): Promise<void> => rm(dataDir, { recursive: true, force: true });
  try {
    const cluster = await startEmbeddedPostgres({ dataDir, durable: false });
    return {
      url: cluster.url,
      source: 'embedded',
      stop: async () => {
        await cluster.stop();
        await removeDataDir();
      },
    };
  } catch (error) {
    await removeDataDir();
    throw error;
  }
}
