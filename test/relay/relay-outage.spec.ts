import { KafkaBroker } from '@consent-ledger/kafka-testkit';
import { LedgerApp } from '../e2e/ledger-app';
import { TopicCollector, inParallel, lastInCommitOrder, newsletter, record, relayOf, startRelayingLedger, uniquePrefix, until, untilRelay } from './relay-fixture';

/**
 * Every wait below is on a condition the relay reports, with deadlines far above what it needs on an
 * idle machine: under CPU load a retry (backoff up to 5 s) or a reconnect takes longer, never less.
 */
const PATIENCE_MS = 90_000;
jest.setTimeout(4 * PATIENCE_MS);

/** This file stops and wipes its broker, so it has one of its own rather than the run's. */
describe('relay while Kafka is down', () => {
  const prefix = uniquePrefix('outage');
  let broker: KafkaBroker;
  let ledger: LedgerApp;
  const collectors: TopicCollector[] = [];

  const collect = async () => {
    const collector = await TopicCollector.start([broker.address], prefix);
    collectors.push(collector);
    return collector;
  };
  const post = async (count: number, tag: string): Promise<string[]> => {
    const responses = await inParallel(Array.from({ length: count }, (_, i) => i), 16, (i) =>
      record(ledger, `${prefix}-${tag}-${i % 10}`, i % 2 === 0 ? 'ConsentGranted' : 'ConsentWithdrawn'),
    );
    expect(responses.filter((r) => r.status !== 201)).toEqual([]);
    return responses.map((r) => r.body.events[0].eventId);
  };

  beforeAll(async () => {
    broker = await KafkaBroker.start({ port: 0 });
    ledger = await startRelayingLedger([broker.address]);
    expect((await ledger.put('/v1/purposes/newsletter', newsletter)).status).toBe(201);
    await untilRelay(ledger, 'the relay to connect', (s) => s.role === 'active' && s.kafka === 'connected', PATIENCE_MS);
  }, PATIENCE_MS);
  afterAll(async () => {
    await Promise.all(collectors.map((c) => c.stop()));
    await ledger?.close();
    await broker?.stop();
  });

  it('accepts writes and stays ready while the broker is down, then publishes them all when it is back', async () => {
    const before = await post(5, 'before');
    await untilRelay(ledger, 'the first events to be published', (s) => s.published === 5, PATIENCE_MS);

    await broker.stop();
    const during = await post(100, 'during');
    // The lag is measured after the failed attempt that turns Kafka degraded: wait for both, so the
    // readiness below is read once the relay has seen the backlog it cannot publish.
    await untilRelay(ledger, 'the relay to notice the outage and its backlog', (s) => s.kafka === 'degraded' && s.lag > 0, PATIENCE_MS);
    const ready = await ledger.get('/health/ready', null);
    expect(ready.status).toBe(200);
    expect(ready.body.details.postgres).toEqual({ status: 'up' });
    expect(ready.body.details.kafka).toMatchObject({ status: 'up', state: 'degraded', relay: 'active' });
    expect(ready.body.details.kafka.lag).toBeGreaterThan(0);
    expect(ready.body.details.kafka.lastError).toEqual(expect.any(String));

    await broker.restart();
    const collector = await collect();
    await until(() => [...before, ...during].every((id) => collector.eventIds().has(id)), 'all 105 events after the broker returned', PATIENCE_MS);
    await untilRelay(ledger, 'the relay to catch up', (s) => s.kafka === 'connected' && s.lag === 0, PATIENCE_MS);
    expect((await ledger.get('/health/ready', null)).body.details.kafka).toMatchObject({ state: 'connected', lastError: null });
    // Its broker is about to be replaced by one without its offsets.
    await collector.stop();
  });

  it('publishes the whole log again to a broker that lost its data', async () => {
    const earlier = await post(10, 'earlier');
    const last = await lastInCommitOrder(ledger.databaseUrl);
    await untilRelay(ledger, 'the earlier events to be published', (s) => s.position === last && s.lag === 0 && s.kafka === 'connected', PATIENCE_MS);
    const published = relayOf(ledger).status().published;

    // A new in-memory broker on the same port: the topics, and everything in them, are gone.
    await broker.stop();
    broker = await KafkaBroker.start({ port: broker.port });
    const later = await post(10, 'later');
    // The relay creates the topics on the new broker; a consumer subscribing first would find none.
    await untilRelay(ledger, 'the relay to publish the log again', (s) => s.published >= published + 125 && s.lag === 0, PATIENCE_MS);
    const collector = await collect();
    await until(() => [...earlier, ...later].every((id) => collector.eventIds().has(id)), 'the whole log on the new broker', PATIENCE_MS);
    expect(collector.eventIds().size).toBe(125);
  });
});
