import { LedgerApp } from '../e2e/ledger-app';
import {
  TopicCollector, inParallel, lastInCommitOrder, newsletter, record, relayOf, runKafkaBrokers, sql, startRelayingLedger, uniquePrefix, until,
  untilRelay,
} from './relay-fixture';

/** Makes every checkpoint write fail, as if the relay died between Kafka's acknowledgement and storing it. */
const BREAK_CHECKPOINTS = `
  CREATE FUNCTION refuse_checkpoint() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN RAISE EXCEPTION 'relay died before storing its checkpoint'; END $$;
  CREATE TRIGGER refuse_checkpoint BEFORE INSERT OR UPDATE ON relay_checkpoints FOR EACH ROW EXECUTE FUNCTION refuse_checkpoint();`;
const MEND_CHECKPOINTS = 'DROP TRIGGER refuse_checkpoint ON relay_checkpoints; DROP FUNCTION refuse_checkpoint()';

describe('relay dying between publish and checkpoint', () => {
  const brokers = runKafkaBrokers();
  const prefix = uniquePrefix('crash');
  const ledgers: LedgerApp[] = [];
  let collector: TopicCollector | undefined;

  afterAll(async () => {
    await collector?.stop();
    await Promise.all(ledgers.map((l) => l.close()));
  });

  it('loses nothing: the next relay republishes from the last stored checkpoint', async () => {
    const first = await startRelayingLedger(brokers);
    ledgers.push(first);
    const databaseUrl = first.databaseUrl;
    expect((await first.put('/v1/purposes/newsletter', newsletter)).status).toBe(201);
    // Position, not lag alone: a cycle that ran before the purpose was written also reported lag 0.
    await untilRelay(first, 'the relay to store a first checkpoint', (s) => s.kafka === 'connected' && s.position > 0 && s.lag === 0);
    const [stored] = await sql<{ global_position: string }>(databaseUrl, `SELECT global_position FROM relay_checkpoints WHERE name = 'kafka'`);
    const consumer = (collector = await TopicCollector.start(brokers, prefix));

    await sql(databaseUrl, BREAK_CHECKPOINTS);
    const responses = await inParallel(Array.from({ length: 40 }, (_, i) => i), 8, (i) =>
      record(first, `${prefix}-${i % 8}`, i % 2 === 0 ? 'ConsentGranted' : 'ConsentWithdrawn'),
    );
    const written = responses.map((r) => r.body.events[0].eventId as string);
    await until(() => written.every((id) => consumer.eventIds().has(id)), 'the events to be published');
    expect(relayOf(first).status()).toMatchObject({ position: Number(stored!.global_position), lastError: 'relay died before storing its checkpoint' });
    await first.close();
    ledgers.pop();

    await sql(databaseUrl, MEND_CHECKPOINTS);
    const second = await startRelayingLedger(brokers, databaseUrl);
    ledgers.push(second);
    const last = await lastInCommitOrder(databaseUrl);
    await untilRelay(second, 'the new relay to catch up', (s) => s.position === last);
    await consumer.caughtUp();

    const published = consumer.events().map((m) => m.value.eventId as string);
    expect(new Set(published)).toEqual(new Set(written));
    // Republished from the stored checkpoint, not from what the dead relay had sent.
    expect(published.length).toBeGreaterThanOrEqual(2 * written.length);
    expect(relayOf(second).status().published).toBe(written.length);
    const [checkpoint] = await sql<{ global_position: string }>(databaseUrl, `SELECT global_position FROM relay_checkpoints WHERE name = 'kafka'`);
    expect(Number(checkpoint!.global_position)).toBe(last);
  });
});
