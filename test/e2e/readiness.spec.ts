import { Logger } from '@nestjs/common';
import { withPgClient } from '@consent-ledger/runtime';
import { ReadinessLog } from '../../apps/consent-ledger/src/health/readiness-log';
import { LedgerApp } from './ledger-app';

describe('readiness', () => {
  let ledger: LedgerApp;
  let database: string;
  const asSuperuser = <T>(sql: string) => withPgClient(process.env.TEST_DATABASE_URL!, (client) => client.query(sql) as Promise<T>);

  beforeAll(async () => {
    ledger = await LedgerApp.start();
    database = new URL(ledger.databaseUrl).pathname.slice(1);
  });
  afterAll(async () => {
    await asSuperuser(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS true`);
    await ledger.close();
  });

  it('503 names the dependency that is down, with its details, and recovers', async () => {
    const ready = await ledger.get('/health/ready', null);
    expect(ready.status).toBe(200);
    expect(ready.body.details.postgres.status).toBe('up');

    // Postgres refuses this database: the pool's connections are cut and new ones refused.
    await asSuperuser(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS false`);
    await asSuperuser(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database}'`);
    const down = await ledger.get('/health/ready', null);
    expect(down.status).toBe(503);
    expect(down.headers.get('content-type')).toContain('application/problem+json');
    expect(down.body).toMatchObject({ status: 503, type: 'urn:consent-ledger:problem:not_ready', detail: 'not ready: postgres down' });
    expect(down.body.components.postgres).toMatchObject({ status: 'down', message: expect.any(String) });

    await asSuperuser(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS true`);
    const again = await ledger.get('/health/ready', null);
    expect(again.status).toBe(200);
  });

  it('logs each transition once, not every probe', () => {
    const lines: string[] = [];
    const logger = { log: (line: string) => lines.push(`info ${line}`), warn: (line: string) => lines.push(`warn ${line}`) } as unknown as Logger;
    const log = new ReadinessLog(logger);
    const up = { postgres: { status: 'up' as const } };
    const down = { postgres: { status: 'down' as const, message: 'connection refused' } };
    for (const details of [up, up, down, down, down, up, up]) log.observe(details);
    expect(lines).toEqual(['warn postgres is down: connection refused', 'info postgres is up again']);
  });
});
