import { ConsentChange, ConsentClient } from '@consent-ledger/consent-client';
import { logLevel } from 'kafkajs';
import { LedgerApp } from '../e2e/ledger-app';
import { STATE_TOPIC, runKafkaBrokers, sql, uniquePrefix, until, untilRelay } from '../relay/relay-fixture';
import { compactedView, scanTables, scanTopics } from './personal-data-scan';
import { erase, grant, personalProof, publishPurposes, web } from './rights-fixture';

/** The whole erasure over real Postgres, the relay, Kafka and the SDK. */
describe('erasure through the relay, Kafka and the SDK', () => {
  const prefix = uniquePrefix('erasure');
  const subjectId = `${prefix}-alice`;
  const bystander = `${prefix}-bob`;
  const proof = personalProof(prefix);
  const needles = [proof.ip, proof.userAgent, proof.evidence];
  let ledger: LedgerApp;
  let client: ConsentClient;
  const changes: ConsentChange[] = [];

  beforeAll(async () => {
    ledger = await LedgerApp.start({ KAFKA_BROKERS: runKafkaBrokers().join(',') });
    await publishPurposes(ledger);
    await untilRelay(ledger, 'the relay to connect', (s) => s.role === 'active' && s.kafka === 'connected');
  });
  afterAll(async () => {
    await client?.stop();
    await ledger?.close();
  });

  const relayCaughtUp = async () => {
    const [{ head }] = await sql<{ head: string }>(ledger.databaseUrl, 'SELECT max(global_position) AS head FROM events');
    await untilRelay(ledger, 'the relay to publish everything', (s) => s.lag === 0 && s.position > 0 && s.published > 0 && Number(head) > 0);
  };

  it('keeps personal fields out of every table and topic, tombstones the state keys, and turns the SDK false', async () => {
    expect((await grant(ledger, subjectId, ['newsletter', 'audience-measurement'], proof)).status).toBe(201);
    expect((await ledger.post(`/v1/subjects/${subjectId}/events`, { events: [{ type: 'ObjectionRecorded', purpose: 'offers-similar-services' }], source: web, proof })).status).toBe(201);
    expect((await grant(ledger, bystander, ['newsletter'], personalProof(`${prefix}-bob`))).status).toBe(201);
    await relayCaughtUp();

    client = new ConsentClient({
      brokers: runKafkaBrokers(),
      httpBaseUrl: ledger.baseUrl,
      apiKey: ledger.adminKey,
      kafka: { logLevel: logLevel.NOTHING, retry: { initialRetryTime: 50, retries: 10 } },
      consumer: { maxWaitTimeInMs: 100, heartbeatInterval: 50, sessionTimeout: 3000 },
    });
    client.onChange((change) => {
      if (change.subjectId === subjectId) changes.push(change);
    });
    await client.start();
    await until(() => client.isAllowed(subjectId, 'newsletter') && client.isAllowed(bystander, 'newsletter'), 'the grants in the SDK');

    // Before erasure: ciphertext only.
    expect(await scanTables(ledger.databaseUrl, needles)).toEqual([]);
    const before = await scanTopics(runKafkaBrokers(), needles);
    expect(before.topics).toEqual(expect.arrayContaining(['consent.events.v1', 'consent.state.v1']));
    expect(before.findings).toEqual([]);
    const [{ data_key: wrappedKey }] = await sql<{ data_key: Buffer }>(ledger.databaseUrl, `SELECT data_key FROM streams WHERE stream_id = 'subject:${subjectId}'`);
    expect(wrappedKey).toBeInstanceOf(Buffer);

    const erased = await erase(ledger, subjectId, { reason: 'art17-request' });
    expect(erased.status).toBe(201);
    await relayCaughtUp();

    // The data key is gone from the table, and its bytes from every row.
    expect(await sql(ledger.databaseUrl, `SELECT data_key FROM streams WHERE stream_id = 'subject:${subjectId}'`)).toEqual([{ data_key: null }]);
    expect(await scanTables(ledger.databaseUrl, [...needles, wrappedKey.toString('hex')])).toEqual([]);
    const after = await scanTopics(runKafkaBrokers(), needles);
    expect(after.messages).toBeGreaterThan(before.messages);
    expect(after.findings).toEqual([]);

    // A reader of the compacted state topic from its beginning holds nothing for the subject, and still the bystander.
    await until(async () => ![...(await compactedView(runKafkaBrokers(), STATE_TOPIC, prefix)).keys()].some((key) => key.endsWith(`:${subjectId}`)), 'the tombstones', 30_000);
    const view = await compactedView(runKafkaBrokers(), STATE_TOPIC, prefix);
    expect([...view.keys()]).toEqual([`newsletter:${bystander}`]);

    // The SDK answers false and told its listeners.
    await until(() => !client.isAllowed(subjectId, 'newsletter') && !client.isAllowed(subjectId, 'audience-measurement'), 'the erasure in the SDK');
    expect(await client.check(subjectId, 'newsletter')).toBe(false);
    expect(client.isAllowed(bystander, 'newsletter')).toBe(true);
    await until(() => ['newsletter', 'audience-measurement'].every((purpose) => changes.some((c) => c.purpose === purpose && !c.allowed)), 'onChange for the erasure');
    // From the SubjectErased event, or from the tombstone when the state topic came first: never allowed again.
    for (const change of changes.filter((c) => c.purpose !== 'offers-similar-services')) {
      expect(change.eventId === erased.body.eventId || (change.eventId === undefined && change.status === 'none')).toBe(true);
      expect(change.allowed).toBe(false);
    }

    expect((await ledger.get('/v1/ledger/verify')).body).toMatchObject({ valid: true });
  });
});
