import { randomBytes } from 'node:crypto';
import { Admin, Consumer, IHeaders, Kafka, logLevel } from 'kafkajs';
import { withPgClient } from '@consent-ledger/runtime';
import { EVENTS_TOPIC, STATE_TOPIC } from '../../apps/consent-ledger/src/relay/kafka-publisher';
import { RelayService, RelayStatus } from '../../apps/consent-ledger/src/relay/relay.service';
import { HttpResponse, LedgerApp } from '../e2e/ledger-app';

export { EVENTS_TOPIC, STATE_TOPIC };

/** The run's Kafka (test/support/kafka.ts): shared by test files, so each one keys its subjects by a prefix of its own. */
export function runKafkaBrokers(): string[] {
  const brokers = process.env.TEST_KAFKA_BROKERS;
  if (!brokers) throw new Error('TEST_KAFKA_BROKERS is not set: run the tests through jest (test/support/global-setup.ts)');
  return brokers.split(',');
}

export const uniquePrefix = (name: string): string => `${name}-${randomBytes(4).toString('hex')}`;

export const newsletter = {
  title: 'Newsletter',
  description: 'Our weekly newsletter by e-mail.',
  legalBasis: 'consent',
};

/** The service with its relay on `brokers`; `databaseUrl` shares another instance's database. */
export async function startRelayingLedger(brokers: string[], databaseUrl?: string): Promise<LedgerApp> {
  return LedgerApp.start({ KAFKA_BROKERS: brokers.join(','), ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
}

export const relayOf = (ledger: LedgerApp): RelayService => ledger.app.get(RelayService);

export interface PublishingLedger {
  ledger: LedgerApp;
  collector: TopicCollector;
  close(): Promise<void>;
}

/**
 * For a describe block: a relaying service with the newsletter purpose on the run's Kafka, and a consumer
 * subscribed once the relay has created the topics. The fields are set when beforeAll has run.
 */
export function usePublishingLedger(prefix: string): PublishingLedger {
  const publishing = {} as PublishingLedger;
  beforeAll(async () => {
    Object.assign(publishing, await startPublishingLedger(runKafkaBrokers(), prefix));
  });
  afterAll(async () => {
    await publishing.close?.();
  });
  return publishing;
}

async function startPublishingLedger(brokers: string[], prefix: string): Promise<PublishingLedger> {
  const ledger = await startRelayingLedger(brokers);
  try {
    expect((await ledger.put('/v1/purposes/newsletter', newsletter)).status).toBe(201);
    await untilRelay(ledger, 'the relay to connect', (s) => s.role === 'active' && s.kafka === 'connected');
    const collector = await TopicCollector.start(brokers, prefix);
    return {
      ledger,
      collector,
      close: async () => {
        await collector.stop();
        await ledger.close();
      },
    };
  } catch (error) {
    await ledger.close();
    throw error;
  }
}

export function record(ledger: LedgerApp, subjectId: string, type: string, extra: Record<string, unknown> = {}): Promise<HttpResponse> {
  return ledger.post(`/v1/subjects/${subjectId}/events`, { events: [{ type, purpose: 'newsletter' }], source: { channel: 'web' }, ...extra });
}

/** Runs `work` over `items` with at most `limit` calls in flight. */
export async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/** Polls until `condition` holds; the assertions come after, on exact values. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const untilRelay = (ledger: LedgerApp, what: string, holds: (status: RelayStatus) => boolean, timeoutMs?: number) =>
  until(() => holds(relayOf(ledger).status()), what, timeoutMs);

export async function sql<R extends object>(databaseUrl: string, text: string): Promise<R[]> {
  return withPgClient(databaseUrl, async (client) => (await client.query<R>(text)).rows);
}

/** Where a relay that is caught up has its checkpoint: the last event in commit order, not the highest position. */
export async function lastInCommitOrder(databaseUrl: string): Promise<number> {
  const [row] = await sql<{ global_position: string }>(
    databaseUrl,
    'SELECT global_position FROM events ORDER BY transaction_id DESC, global_position DESC LIMIT 1',
  );
  return Number(row?.global_position ?? 0);
}

export interface Received {
  topic: string;
  partition: number;
  offset: number;
  key: string;
  value: any;
  headers: Record<string, string>;
  receivedAt: number;
}

/** A kafkajs consumer of both relay topics from the beginning, keeping the messages whose key holds `prefix`. */
export class TopicCollector {
  readonly messages: Received[] = [];
  private readonly seen = new Map<string, number>();

  private constructor(
    private readonly consumer: Consumer,
    private readonly admin: Admin,
    private readonly prefix: string,
  ) {}

  /** Resolves once the consumer has joined its group, so later sends are timed from a live consumer. */
  static async start(brokers: string[], prefix: string): Promise<TopicCollector> {
    const kafka = new Kafka({ clientId: 'relay-test', brokers, logLevel: logLevel.NOTHING, retry: { initialRetryTime: 50, retries: 20 } });
    const consumer = kafka.consumer({
      groupId: uniquePrefix('relay-test'),
      heartbeatInterval: 50,
      sessionTimeout: 3_000,
      maxWaitTimeInMs: 100,
      allowAutoTopicCreation: false,
      retry: { initialRetryTime: 50, retries: 20 },
    });
    const admin = kafka.admin();
    const collector = new TopicCollector(consumer, admin, prefix);
    await Promise.all([consumer.connect(), admin.connect()]);
    await consumer.subscribe({ topics: [EVENTS_TOPIC, STATE_TOPIC], fromBeginning: true });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({ eachMessage: async (payload) => collector.take(payload.topic, payload.partition, payload.message) });
    await joined;
    return collector;
  }

  events(): Received[] {
    return this.messages.filter((m) => m.topic === EVENTS_TOPIC);
  }

  states(): Received[] {
    return this.messages.filter((m) => m.topic === STATE_TOPIC);
  }

  eventIds(): Set<string> {
    return new Set(this.events().map((m) => m.value.eventId));
  }

  /** Waits until this consumer has read everything the topics held when called. */
  async caughtUp(): Promise<void> {
    const ends = await Promise.all(
      [EVENTS_TOPIC, STATE_TOPIC].map(async (topic) => (await this.admin.fetchTopicOffsets(topic)).map((p) => ({ topic, ...p }))),
    );
    await until(
      () => ends.flat().every((p) => (this.seen.get(`${p.topic}/${p.partition}`) ?? -1) >= Number(p.high) - 1),
      'the consumer to reach the end of the relay topics',
    );
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.consumer.disconnect(), this.admin.disconnect()]);
  }

  private take(topic: string, partition: number, message: { offset: string; key: Buffer | null; value: Buffer | null; headers?: IHeaders }): void {
    this.seen.set(`${topic}/${partition}`, Number(message.offset));
    const key = message.key?.toString() ?? '';
    if (!key.includes(this.prefix)) return;
    this.messages.push({
      topic,
      partition,
      offset: Number(message.offset),
      key,
      value: message.value ? JSON.parse(message.value.toString()) : null,
      headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)])),
      receivedAt: Date.now(),
    });
  }
}
