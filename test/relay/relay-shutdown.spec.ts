import { LedgerApp } from '../e2e/ledger-app';
import {
  TopicCollector, inParallel, newsletter, record, relayOf, runKafkaBrokers, sql, startRelayingLedger, uniquePrefix, untilRelay,
} from './relay-fixture';

/**
 * Closing the app (what SIGTERM does) while the relay drains a backlog of several batches: the batch
 * being published is finished and checkpointed, then the relay stops. Nothing it published is left
 * unrecorded, and the next relay starts exactly where it stopped.
 */
describe('relay shutdown', () => {
  const brokers = runKafkaBrokers();
  const prefix = uniquePrefix('shutdown');
  let collector: TopicCollector | undefined;
  let next: LedgerApp | undefined;

  afterAll(async () => {
    await collector?.stop();
    await next?.close();
  });

  it('finishes the batch in progress, stores its checkpoint, and stops', async () => {
    // Writes first, with the relay off, so that the relay starts on a backlog of several 500-event batches.
    const writer = await LedgerApp.start({ RELAY_ENABLED: 'false' });
    const databaseUrl = writer.databaseUrl;
    expect((await writer.put('/v1/purposes/newsletter', newsletter)).status).toBe(201);
    const responses = await inParallel(Array.from({ length: 1_600 }, (_, i) => i), 16, (i) =>
      record(writer, `${prefix}-${i % 40}`, i % 2 === 0 ? 'ConsentGranted' : 'ConsentWithdrawn'));
    expect(responses.filter((r) => r.status !== 201)).toEqual([]);
    await writer.close();

    const relaying = await startRelayingLedger(brokers, databaseUrl);
    await untilRelay(relaying, 'the first batch to be published', (s) => s.published > 0, 60_000);
    await relaying.close();

    // From the beginning of the topics, which the relay created.
    collector = await TopicCollector.start(brokers, prefix);
    const stopped = relayOf(relaying).status();
    expect(stopped).toMatchObject({ role: 'stopped', lastError: null });
    const [checkpoint] = await sql<{ global_position: string }>(databaseUrl, `SELECT global_position FROM relay_checkpoints WHERE name = 'kafka'`);
    expect(Number(checkpoint!.global_position)).toBe(stopped.position);
    // Every subject event up to the checkpoint, in commit order, was published, and nothing after it was.
    const upToCheckpoint = await sql<{ event_id: string }>(databaseUrl, `
      SELECT event_id FROM events
      WHERE stream_id LIKE 'subject:%'
        AND (transaction_id, global_position) <= (SELECT transaction_id, global_position FROM events WHERE global_position = ${stopped.position})`);
    expect(stopped.published).toBe(upToCheckpoint.length);
    await collector.caughtUp();
    expect(collector.eventIds()).toEqual(new Set(upToCheckpoint.map((row) => row.event_id)));

    // The next relay goes on from there, publishing each remaining event once.
    next = await startRelayingLedger(brokers, databaseUrl);
    await untilRelay(next, 'the next relay to publish the rest', (s) => s.published === 1_600 - stopped.published && s.lag === 0, 60_000);
    await collector.caughtUp();
    expect(collector.events()).toHaveLength(1_600);
  });
});
