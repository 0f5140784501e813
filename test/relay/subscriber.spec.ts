import { ConsentClient } from '@consent-ledger/consent-client';
import { logLevel } from 'kafkajs';
import { NewsletterSender } from '../../apps/newsletter-sender/src/newsletter-sender';
import { record, runKafkaBrokers, uniquePrefix, until, usePublishingLedger } from './relay-fixture';

/** The whole loop: HTTP write, Postgres, relay, Kafka, the SDK's cache, a marketing service's next send. */
describe('a subscriber stops sending when consent is withdrawn', () => {
  const prefix = uniquePrefix('sub');
  const publishing = usePublishingLedger(prefix);
  let client: ConsentClient;

  afterAll(async () => {
    await client?.stop();
  });

  it('turns isAllowed false after a withdrawal with no HTTP call, and the newsletter skips that subject', async () => {
    const { ledger } = publishing;
    const [alice, bob] = [`${prefix}-alice`, `${prefix}-bob`];
    for (const subjectId of [alice, bob]) expect((await record(ledger, subjectId, 'ConsentGranted')).status).toBe(201);

    client = new ConsentClient({
      brokers: runKafkaBrokers(),
      httpBaseUrl: ledger.baseUrl,
      apiKey: ledger.adminKey,
      kafka: { logLevel: logLevel.NOTHING, retry: { initialRetryTime: 50, retries: 10 } },
      consumer: { maxWaitTimeInMs: 100, heartbeatInterval: 50, sessionTimeout: 3000 },
    });
    await client.start();
    await until(() => client.isAllowed(alice, 'newsletter') && client.isAllowed(bob, 'newsletter'), 'both grants in the cache');

    const sender = new NewsletterSender(client, [alice, bob], 'newsletter', { info: () => undefined });
    expect(sender.sendRound()).toEqual({ sent: [alice, bob], skipped: [] });

    const fetchSpy = jest.spyOn(globalThis, 'fetch');
    try {
      expect((await record(ledger, alice, 'ConsentWithdrawn')).status).toBe(201);
      await until(() => !client.isAllowed(alice, 'newsletter'), 'the withdrawal in the cache');
      const checks = fetchSpy.mock.calls.filter(([url]) => String(url).includes('/v1/check'));
      expect(checks).toHaveLength(0);
    } finally {
      fetchSpy.mockRestore();
    }
    expect(sender.sendRound()).toEqual({ sent: [bob], skipped: [alice] });
  });
});
