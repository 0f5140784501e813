import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { EnforcementAcknowledger } from '../src/enforcement-acknowledger';
import { eventually } from './support/eventually';
import { LedgerKafka } from './support/ledger-kafka';
import { eventRecord, granted, stateRecord, withdrawn } from './support/ledger-records';

interface BatchRequest {
  authorization: string | undefined;
  body: { service: string; acknowledgements: { eventId: string; enforcedAt: string }[] };
}

/** Stands in for POST /v1/enforcements/batch: answers each request with the next scripted status (then 200). */
class FakeEnforcementServer {
  readonly requests: BatchRequest[] = [];
  readonly script: number[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeEnforcementServer> {
    const server = createServer();
    const fake = new FakeEnforcementServer(server);
    server.on('request', (request, response) => {
      let text = '';
      request.on('data', (chunk) => (text += chunk));
      request.on('end', () => {
        fake.requests.push({ authorization: request.headers.authorization, body: JSON.parse(text) });
        const status = fake.script.shift() ?? 200;
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(status === 200 ? { enforcements: [], rejected: [] } : { status, detail: 'scripted' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Every event id acknowledged in a request answered 200. */
  acknowledged(statuses: number[]): string[] {
    return this.requests.flatMap((request, index) => (statuses[index] === 200 ? request.body.acknowledgements.map((a) => a.eventId) : []));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('EnforcementAcknowledger', () => {
  let ledger: FakeEnforcementServer;
  let acknowledger: EnforcementAcknowledger | undefined;

  beforeEach(async () => {
    ledger = await FakeEnforcementServer.start();
  });

  afterEach(async () => {
    await acknowledger?.stop(0);
    await ledger.stop();
  });

  const start = (options: { batchSize?: number; retryDelayMs?: number } = {}) =>
    (acknowledger = new EnforcementAcknowledger({ service: 'mailer', httpBaseUrl: ledger.url, apiKey: 'key-1', lingerMs: 5, logger: quiet, ...options }));

  it('sends acknowledgements in batches of at most batchSize, once each, as the service with its key', async () => {
    const acks = start({ batchSize: 100 });
    const ids = Array.from({ length: 250 }, (_, i) => `evt-${i}`);
    const at = new Date('2025-01-15T10:00:00.000Z');
    for (const id of ids) acks.acknowledge(id, at);
    acks.acknowledge('evt-0', at); // a redelivery while the first waits

    await eventually('all sent', () => acks.queued === 0);
    expect(ledger.requests.map((r) => r.body.acknowledgements.length)).toEqual([100, 100, 50]);
    expect(ledger.requests.flatMap((r) => r.body.acknowledgements.map((a) => a.eventId))).toEqual(ids);
    expect(ledger.requests.every((r) => r.body.service === 'mailer' && r.authorization === 'Bearer key-1')).toBe(true);
    expect(ledger.requests[0].body.acknowledgements[0].enforcedAt).toBe(at.toISOString());
  });

  it('retries a batch the ledger could not take (503, 429, a service not registered yet) until it is taken', async () => {
    ledger.script.push(503, 429, 422);
    const acks = start({ retryDelayMs: 10 });
    acks.acknowledge('evt-1', new Date());

    await eventually('delivered after three failures', () => acks.queued === 0);
    expect(ledger.requests).toHaveLength(4);
    expect(ledger.acknowledged([503, 429, 422, 200])).toEqual(['evt-1']);
  });

  it('retries when the ledger is unreachable', async () => {
    const attempts: number[] = [];
    const logger = { ...quiet, warn: (bindings: object) => void attempts.push((bindings as { attempt: number }).attempt) };
    const acks = new EnforcementAcknowledger({ service: 'mailer', httpBaseUrl: 'http://127.0.0.1:1', apiKey: 'k', lingerMs: 1, retryDelayMs: 5, logger });
    acknowledger = acks;
    acks.acknowledge('evt-1', new Date());
    await eventually('three attempts', () => attempts.length >= 3);
    expect(attempts.slice(0, 3)).toEqual([1, 2, 3]);
    expect(acks.queued).toBe(1);
  });

  it('drops a batch the ledger refuses as malformed (400) instead of sending it for ever', async () => {
    ledger.script.push(400);
    const errors: object[] = [];
    acknowledger = new EnforcementAcknowledger({
      service: 'mailer', httpBaseUrl: ledger.url, apiKey: 'k', lingerMs: 1, retryDelayMs: 5, logger: { ...quiet, error: (b) => void errors.push(b) },
    });
    acknowledger.acknowledge('not-a-uuid', new Date());
    await eventually('dropped', () => acknowledger!.queued === 0);
    expect(ledger.requests).toHaveLength(1);
    expect(errors).toEqual([expect.objectContaining({ status: 400, dropped: 1 })]);
  });

  it('sends what is queued when stopped', async () => {
    const acks = start();
    acks.acknowledge('evt-1', new Date());
    await acks.stop();
    expect(ledger.acknowledged([200])).toEqual(['evt-1']);
    acks.acknowledge('evt-2', new Date());
    expect(acks.queued).toBe(0);
  });
});

describe('ConsentClient with enforcement', () => {
  let kafka: LedgerKafka;
  let ledger: FakeEnforcementServer;

  beforeAll(async () => {
    [kafka, ledger] = await Promise.all([LedgerKafka.start(), FakeEnforcementServer.start()]);
  });

  afterAll(async () => {
    await kafka?.stop();
    await ledger?.stop();
  });

  it('acknowledges each denying event once its onChange listeners returned, and not when one failed', async () => {
    const topics = await kafka.createTopics();
    await kafka.publish(topics.state, granted('alice', 'newsletter', 1), granted('bob', 'newsletter', 2));
    const client = kafka.client(topics, ledger.url, { enforcement: { service: 'mailer', lingerMs: 1 } });
    const returned = new Map<string, number>();
    client.onChange(async (change) => {
      if (change.subjectId === 'bob') throw new Error('could not unsubscribe bob');
      await new Promise((resolve) => setTimeout(resolve, 30));
      returned.set(change.subjectId, Date.now());
    });
    await client.start();

    await kafka.publish(
      topics.events,
      withdrawn('alice', 'newsletter', 3),
      withdrawn('bob', 'newsletter', 4),
      // A pair this cache never held, and a grant: the first is enforced all the same, the second denies nothing.
      withdrawn('carol', 'newsletter', 5),
      eventRecord({ type: 'ConsentGranted', subjectId: 'dave', purpose: 'newsletter', position: 6 }),
      eventRecord({ type: 'SubjectErased', subjectId: 'erin', position: 7 }),
    );

    const acknowledgements = () => ledger.requests.flatMap((r) => r.body.acknowledgements);
    await eventually('alice, carol and erin acknowledged', () => acknowledgements().length === 3);
    await client.stop();
    expect(acknowledgements().map((a) => a.eventId).sort()).toEqual(['evt-3', 'evt-5', 'evt-7']);
    const alice = acknowledgements().find((a) => a.eventId === 'evt-3')!;
    expect(Date.parse(alice.enforcedAt)).toBeGreaterThanOrEqual(returned.get('alice')!);
    expect(ledger.requests.every((r) => r.body.service === 'mailer' && r.authorization === 'Bearer test-key')).toBe(true);
  });

  it('waits for the listeners of a denial that reached the cache from the state topic before its event', async () => {
    const topics = await kafka.createTopics();
    const client = kafka.client(topics, ledger.url, { enforcement: { service: 'mailer', lingerMs: 1 } });
    let returnedAt = 0;
    client.onChange(async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      returnedAt = Date.now();
    });
    await client.start();
    ledger.requests.length = 0;

    // The relay writes both; which one a subscriber reads first is not ordered across topics.
    await kafka.publish(topics.state, stateRecord('frank', 'newsletter', { allowed: false, status: 'withdrawn', position: 8 }));
    await kafka.publish(topics.events, withdrawn('frank', 'newsletter', 8));

    const acknowledgements = () => ledger.requests.flatMap((r) => r.body.acknowledgements);
    await eventually('frank acknowledged', () => acknowledgements().length === 1);
    await client.stop();
    expect(acknowledgements()[0].eventId).toBe('evt-8');
    expect(returnedAt).toBeGreaterThan(0);
    expect(Date.parse(acknowledgements()[0].enforcedAt)).toBeGreaterThanOrEqual(returnedAt);
  });
});
