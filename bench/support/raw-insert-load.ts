import { Client } from 'pg';
import { LoadResult } from './http-load';
import { elapsedMs, percentile } from './stats';

export interface RawInsertLoad {
  databaseUrl: string;
  connections: number;
  seconds: number;
  /** Bytes of text per row, matched to an event row. */
  payloadBytes: number;
}

export const RAW_APPEND_TABLE = 'bench_raw_append';

export async function createRawAppendTable(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`CREATE TABLE IF NOT EXISTS ${RAW_APPEND_TABLE} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload text NOT NULL)`);
  await client.end();
}

/**
 * The append baseline: `connections` clients each inserting one row per transaction (an
 * autocommit INSERT, so one round trip and one commit) as fast as the server takes them. The
 * rows are varied so that TOAST compression does not shrink them below an event row's size.
 */
export async function runRawInsertLoad(load: RawInsertLoad): Promise<LoadResult> {
  const clients = await Promise.all(Array.from({ length: load.connections }, async () => {
    const client = new Client({ connectionString: load.databaseUrl });
    await client.connect();
    return client;
  }));
  const latencies: number[] = [];
  const base = 'x'.repeat(load.payloadBytes);
  const start = process.hrtime.bigint();
  const deadline = Date.now() + load.seconds * 1000;
  try {
    await Promise.all(clients.map(async (client, c) => {
      for (let i = 0; Date.now() < deadline; i++) {
        const payload = `${c}:${i}:${base}`.slice(0, load.payloadBytes);
        const sent = process.hrtime.bigint();
        await client.query(`INSERT INTO ${RAW_APPEND_TABLE} (payload) VALUES ($1)`, [payload]);
        latencies.push(elapsedMs(sent));
      }
    }));
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
  const seconds = elapsedMs(start) / 1000;
  return {
    perSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    ok: latencies.length,
    failed: 0,
  };
}
