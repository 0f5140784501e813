import { record, runKafkaBrokers, uniquePrefix, until, usePublishingLedger } from './relay-fixture';

const WITHDRAWALS = 1_000;

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;

/**
 * Measures, without asserting a figure, how long a withdrawal takes from its 201 to a Kafka consumer:
 * the push that marketing services act on. One request in flight, so each figure is propagation
 * rather than queueing; the service, the consumer and (in-repo) broker share this process.
 */
describe('propagation probe', () => {
  const brokers = runKafkaBrokers();
  const prefix = uniquePrefix('probe');
  const publishing = usePublishingLedger(prefix);

  it(`times ${WITHDRAWALS} withdrawals from 201 to consumer`, async () => {
    const { ledger, collector } = publishing;
    const acknowledgedAt = new Map<string, number>();
    for (let i = 0; i < WITHDRAWALS; i++) {
      const response = await record(ledger, `${prefix}-${i % 100}`, 'ConsentWithdrawn');
      expect(response.status).toBe(201);
      acknowledgedAt.set(response.body.events[0].eventId, Date.now());
    }
    await until(() => collector.eventIds().size === WITHDRAWALS, 'every withdrawal on consent.events.v1');

    // A consumer can hear of an event before its writer hears the 201: that counts as no delay.
    const delays = collector
      .events()
      .map((m) => Math.max(0, m.receivedAt - (acknowledgedAt.get(m.value.eventId) as number)))
      .sort((a, b) => a - b);
    expect(delays).toHaveLength(WITHDRAWALS);
    process.stdout.write(
      `propagation 201 -> consumer over ${WITHDRAWALS} withdrawals (${brokers.join(',')}): ` +
        `p50 ${percentile(delays, 50)} ms, p99 ${percentile(delays, 99)} ms, max ${delays.at(-1)} ms\n`,
    );
  });
});
