import { LedgerApp } from '../e2e/ledger-app';
import {
  TopicCollector, inParallel, newsletter, record, relayOf, runKafkaBrokers, sql, startRelayingLedger, uniquePrefix, until, untilRelay,
} from './relay-fixture';

describe('relay leadership across two instances over one database', () => {
  const brokers = runKafkaBrokers();
  const prefix = uniquePrefix('lead');
  let first: LedgerApp;
  let second: LedgerApp;
  let databaseUrl: string;
  let collector: TopicCollector;

  const post = async (ledger: LedgerApp, count: number, tag: string): Promise<string[]> => {
    const responses = await inParallel(Array.from({ length: count }, (_, i) => i), 8, (i) => record(ledger, `${prefix}-${tag}-${i % 5}`, 'ConsentGranted'));
    expect(responses.filter((r) => r.status !== 201)).toEqual([]);
    return responses.map((r) => r.body.events[0].eventId);
  };
  const relayLocks = () =>
    sql<{ pid: number }>(databaseUrl, `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);

  beforeAll(async () => {
    first = await startRelayingLedger(brokers);
    databaseUrl = first.databaseUrl;
    expect((await first.put('/v1/purposes/newsletter', newsletter)).status).toBe(201);
    await untilRelay(first, 'the first relay to take the lock', (s) => s.role === 'active' && s.kafka === 'connected');
    second = await startRelayingLedger(brokers, databaseUrl);
    await untilRelay(second, 'the second relay to stand by', (s) => s.role === 'standby');
    collector = await TopicCollector.start(brokers, prefix);
  });
  afterAll(async () => {
    await collector?.stop();
    await Promise.all([first?.close(), second?.close()]);
  });

  it('relays from one instance only, whichever instance took the writes', async () => {
    const written = [...(await post(first, 20, 'a')), ...(await post(second, 20, 'b'))];
    await until(() => written.every((id) => collector.eventIds().has(id)), 'the writes of both instances');
    // The count moves once the checkpoint is stored, a moment after the consumer has the events.
    await untilRelay(first, 'the active relay to catch up', (s) => s.lag === 0 && s.published === 40);

    expect(relayOf(first).status()).toMatchObject({ role: 'active', published: 40 });
    expect(relayOf(second).status()).toMatchObject({ role: 'standby', kafka: 'unknown', published: 0 });
    expect(await relayLocks()).toHaveLength(1);
    expect((await second.get('/health/ready', null)).body.details.kafka).toMatchObject({ status: 'up', relay: 'standby' });
  });

  it('hands over to the other instance when the active one closes', async () => {
    await first.close();
    await untilRelay(second, 'the second relay to take over', (s) => s.role === 'active' && s.kafka === 'connected', 10_000);
    const written = await post(second, 20, 'c');
    await until(() => written.every((id) => collector.eventIds().has(id)), 'the writes after the handover');
    expect(relayOf(second).status().published).toBe(20);
    expect(await relayLocks()).toHaveLength(1);
  });

  it('takes the lock again when Postgres ends the active relay\'s session', async () => {
    const [killed] = await sql<{ pid: number }>(
      databaseUrl,
      `SELECT pg_terminate_backend(pid), pid FROM pg_stat_activity WHERE application_name = 'consent-ledger-relay' AND datname = current_database()`,
    );
    await until(async () => (await relayLocks()).some((lock) => lock.pid !== killed!.pid), 'a new session to hold the lock', 10_000);
    const written = await post(second, 10, 'd');
    await until(() => written.every((id) => collector.eventIds().has(id)), 'the writes after the new session took the lock');
    expect(relayOf(second).status()).toMatchObject({ role: 'active', published: 30 });
  });
});
