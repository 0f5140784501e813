import { ConsentChange, ConsentCheckError } from '@consent-ledger/consent-client';
import { eventually } from './support/eventually';
import { FakeCheckServer } from './support/fake-check-server';
import { LedgerKafka } from './support/ledger-kafka';
import { eventRecord, granted, occurredAt, stateRecord, tombstone, withdrawn } from './support/ledger-records';

describe('ConsentClient against Kafka', () => {
  let kafka: LedgerKafka;
  let ledger: FakeCheckServer;

  beforeAll(async () => {
    [kafka, ledger] = await Promise.all([LedgerKafka.start(), FakeCheckServer.start()]);
  });

  afterAll(async () => {
    await Promise.all([kafka?.stop(), ledger?.stop()]);
  });

  beforeEach(() => {
    ledger.requests.length = 0;
    ledger.allowed.clear();
    ledger.failWith = null;
  });

  it('is ready once the state topic is read up to where it ended at start, across partitions', async () => {
    const topics = await kafka.createTopics({ state: 3 });
    const subjects = Array.from({ length: 30 }, (_, i) => `subject-${i}`);
    await kafka.publish(
      topics.state,
      ...subjects.map((subjectId, i) =>
        i % 3 === 0
          ? stateRecord(subjectId, 'newsletter', { allowed: false, status: 'refused', position: i + 1 })
          : granted(subjectId, 'newsletter', i + 1),
      ),
    );
    const client = kafka.client(topics, ledger.url);

    expect(client.isAllowed('subject-1', 'newsletter')).toBe(false);
    await client.start();

    // No polling: ready itself promises the bootstrap is complete.
    expect(client.isReady).toBe(true);
    expect(client.size).toBe(30);
    subjects.forEach((subjectId, i) => expect(client.isAllowed(subjectId, 'newsletter')).toBe(i % 3 !== 0));
    expect(ledger.requests).toHaveLength(0);
  });

  it('turns a decision to no on a withdrawal from the events topic, without asking the ledger', async () => {
    const topics = await kafka.createTopics();
    await kafka.publish(topics.state, granted('alice', 'newsletter', 1), granted('bob', 'newsletter', 2));
    const client = kafka.client(topics, ledger.url);
    await client.start();
    expect(client.isAllowed('alice', 'newsletter')).toBe(true);

    await kafka.publish(topics.events, withdrawn('alice', 'newsletter', 3));

    await eventually('alice is no longer allowed', () => !client.isAllowed('alice', 'newsletter'));
    await expect(client.check('alice', 'newsletter')).resolves.toBe(false);
    await expect(client.check('bob', 'newsletter')).resolves.toBe(true);
    expect(client.isAllowed('bob', 'newsletter')).toBe(true);
    expect(ledger.requests).toHaveLength(0);
  });

  it('asks GET /v1/check while cold, with the API key', async () => {
    const topics = await kafka.createTopics();
    await kafka.publish(topics.state, granted('alice', 'newsletter', 1));
    const client = kafka.client(topics, `${ledger.url}/`, { apiKey: 'marketing-key' });
    ledger.allowed.add('alice');

    await expect(client.check('alice', 'newsletter')).resolves.toBe(true);
    await expect(client.check('bob', 'newsletter')).resolves.toBe(false);

    expect(ledger.requests.map(({ url }) => `${url.pathname}?${url.searchParams}`)).toEqual([
      '/v1/check?subjectId=alice&purpose=newsletter',
      '/v1/check?subjectId=bob&purpose=newsletter',
    ]);
    expect(ledger.requests[0].headers.authorization).toBe('Bearer marketing-key');
    ledger.failWith = 503;
    await expect(client.check('alice', 'newsletter')).rejects.toEqual(expect.objectContaining({ name: 'ConsentCheckError', status: 503 }));
    await expect(client.check('alice', 'newsletter')).rejects.toBeInstanceOf(ConsentCheckError);
  });

  it('when warm, asks the ledger only about pairs whose absence from the cache does not mean no', async () => {
    const topics = await kafka.createTopics();
    await kafka.publish(
      topics.state,
      granted('alice', 'newsletter', 1),
      stateRecord('alice', 'offers', { allowed: false, status: 'objected', legalBasis: 'legitimate_interest', position: 2 }),
    );
    const client = kafka.client(topics, ledger.url);
    await client.start();
    ledger.allowed.add('bob');

    await expect(client.check('bob', 'newsletter')).resolves.toBe(false);
    await expect(client.check('alice', 'offers')).resolves.toBe(false);
    expect(ledger.requests).toHaveLength(0);

    await expect(client.check('bob', 'offers')).resolves.toBe(true);
    expect(ledger.requests.map(({ url }) => url.searchParams.get('purpose'))).toEqual(['offers']);
  });

  it('with a minPosition its cache has not reached for the pair, asks the ledger with the token', async () => {
    const topics = await kafka.createTopics();
    await kafka.publish(topics.state, granted('alice', 'newsletter', 7));
    const client = kafka.client(topics, ledger.url);
    await client.start();

    await expect(client.check('alice', 'newsletter', { minPosition: 7 })).resolves.toBe(true);
    await expect(client.check('alice', 'newsletter', { minPosition: '5' })).resolves.toBe(true);
    await expect(client.check('bob', 'newsletter', { minPosition: 7 })).resolves.toBe(false);
    await expect(client.check('alice', 'newsletter', { minPosition: '8' })).resolves.toBe(false);

    expect(ledger.requests.map(({ url }) => `${url.pathname}?${url.searchParams}`)).toEqual([
      '/v1/check?subjectId=bob&purpose=newsletter&minPosition=7',
      '/v1/check?subjectId=alice&purpose=newsletter&minPosition=8',
    ]);
  });

  it('forgets a pair on a tombstone', async () => {
    const topics = await kafka.createTopics();
    await kafka.publish(topics.state, granted('alice', 'newsletter', 1), granted('alice', 'ads', 2));
    const client = kafka.client(topics, ledger.url);
    await client.start();

    await kafka.publish(topics.state, tombstone('alice', 'newsletter'));

    await eventually('the tombstone is applied', () => client.size === 1);
    expect(client.isAllowed('alice', 'newsletter')).toBe(false);
    expect(client.isAllowed('alice', 'ads')).toBe(true);
  });

  it('says no once expiresAt has passed, with no ConsentExpired event', async () => {
    const topics = await kafka.createTopics();
    const expiresSoon = new Date(Date.now() + 1500).toISOString();
    await kafka.publish(
      topics.state,
      granted('alice', 'newsletter', 1, new Date(Date.now() - 60_000).toISOString()),
      granted('bob', 'newsletter', 2, expiresSoon),
      granted('carol', 'newsletter', 3, new Date(Date.now() + 86_400_000).toISOString()),
    );
    const client = kafka.client(topics, ledger.url);
    await client.start();

    expect(client.isAllowed('alice', 'newsletter')).toBe(false);
    expect(client.isAllowed('bob', 'newsletter')).toBe(true);
    await eventually('bob’s consent has lapsed', () => !client.isAllowed('bob', 'newsletter'));
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(expiresSoon));
    expect(client.isAllowed('carol', 'newsletter')).toBe(true);
  });

  it('ignores records that come before the decision it holds in the ledger’s order', async () => {
    const topics = await kafka.createTopics();
    await kafka.publish(topics.state, granted('alice', 'newsletter', 10), granted('alice', 'ads', 11));
    const client = kafka.client(topics, ledger.url);
    await client.start();

    // Each stale record is followed on its partition by a fresh one: once that is applied, the stale one has been read.
    await kafka.publish(
      topics.state,
      stateRecord('alice', 'newsletter', { allowed: false, status: 'withdrawn', position: 8 }),
      granted('zoe', 'newsletter', 13),
    );
    await kafka.publish(
      topics.events,
      withdrawn('alice', 'newsletter', 9),
      // A legacy withdrawal imported after the grant, but dated before it: the ledger keeps the grant.
      eventRecord({ type: 'ConsentWithdrawn', subjectId: 'alice', purpose: 'newsletter', position: 14, occurredAt: occurredAt(2) }),
      withdrawn('alice', 'ads', 15),
    );

    await eventually('both fresh records are applied', () => client.isAllowed('zoe', 'newsletter') && !client.isAllowed('alice', 'ads'));
    expect(client.isAllowed('alice', 'newsletter')).toBe(true);
  });

  it('reports each change once, with its event id, and none for the bootstrap', async () => {
    const topics = await kafka.createTopics();
    await kafka.publish(topics.state, granted('alice', 'newsletter', 1), granted('bob', 'newsletter', 2));
    const client = kafka.client(topics, ledger.url);
    const changes: ConsentChange[] = [];
    client.onChange(async (change) => {
      changes.push(change);
    });
    await client.start();

    const withdrawal = withdrawn('alice', 'newsletter', 3);
    // At least once: the relay may publish the same event twice.
    await kafka.publish(topics.events, withdrawal, withdrawal);
    await eventually('the withdrawal is reported', () => changes.length === 1);
    await kafka.publish(
      topics.state,
      stateRecord('alice', 'newsletter', { allowed: false, status: 'withdrawn', position: 3 }),
      granted('alice', 'newsletter', 4),
    );
    await eventually('the new grant is reported', () => changes.length === 2);
    // Behind the duplicate on the same partition: once it is reported, the duplicate has been read.
    await kafka.publish(topics.events, eventRecord({ type: 'SubjectErased', subjectId: 'bob', position: 5 }));
    await eventually('the erasure is reported', () => changes.length === 3);

    expect(changes).toEqual([
      { subjectId: 'alice', purpose: 'newsletter', allowed: false, status: 'withdrawn', eventId: 'evt-3' },
      { subjectId: 'alice', purpose: 'newsletter', allowed: true, status: 'granted' },
      { subjectId: 'bob', purpose: 'newsletter', allowed: false, status: 'granted', eventId: 'evt-5' },
    ]);
  });

  it('keeps following after the broker restarts', async () => {
    const topics = await kafka.createTopics();
    await kafka.publish(topics.state, granted('alice', 'newsletter', 1), granted('bob', 'newsletter', 2));
    const client = kafka.client(topics, ledger.url);
    const changes: ConsentChange[] = [];
    client.onChange((change) => void changes.push(change));
    await client.start();

    await kafka.restartBroker();
    await kafka.publish(topics.events, withdrawn('alice', 'newsletter', 3));

    await eventually('the withdrawal after the restart is applied', () => !client.isAllowed('alice', 'newsletter'), 30_000);
    expect(client.isAllowed('bob', 'newsletter')).toBe(true);
    expect(changes).toEqual([expect.objectContaining({ subjectId: 'alice', allowed: false, eventId: 'evt-3' })]);
  });

  it('answers from the ledger once stopped, since its cache is no longer followed', async () => {
    const topics = await kafka.createTopics();
    await kafka.publish(topics.state, granted('alice', 'newsletter', 1));
    const client = kafka.client(topics, ledger.url);
    await client.start();
    expect(client.isAllowed('alice', 'newsletter')).toBe(true);

    await client.stop();

    expect(client.isReady).toBe(false);
    expect(client.isAllowed('alice', 'newsletter')).toBe(false);
    await expect(client.check('alice', 'newsletter')).resolves.toBe(false);
    expect(ledger.requests).toHaveLength(1);
  });

  it('cannot be started after stop, and its ready rejects when stopped first', async () => {
    const client = kafka.client(await kafka.createTopics(), ledger.url);

    await client.stop();

    await expect(client.ready).rejects.toThrow(/stopped/);
    await expect(client.start()).rejects.toThrow(/stopped/);
    expect(client.isAllowed('alice', 'newsletter')).toBe(false);
  });
});
