import { ConsentClient, ConsentClientOptions } from '@consent-ledger/consent-client';
import { KafkaBroker } from '@consent-ledger/kafka-testkit';
import { Admin, Kafka, logLevel, Message, Producer } from 'kafkajs';

export interface LedgerTopics {
  events: string;
  state: string;
}

/** kafkajs timings short enough that joins, fetch waits and retries cost tens of milliseconds, not seconds. */
const FAST_RETRY = { initialRetryTime: 50, retries: 5 };
const FAST_CONSUMER = { sessionTimeout: 3000, heartbeatInterval: 50, maxWaitTimeInMs: 100, retry: FAST_RETRY };

/**
 * An in-repo broker playing the ledger's relay: tests publish state and event records in the v1 format
 * themselves, and every client made here is stopped with the broker.
 */
export class LedgerKafka {
  private readonly clients: ConsentClient[] = [];
  private topicCount = 0;

  private constructor(
    private readonly broker: KafkaBroker,
    private readonly admin: Admin,
    private readonly producer: Producer,
  ) {}

  static async start(): Promise<LedgerKafka> {
    const broker = await KafkaBroker.start({ port: 0 });
    const kafka = new Kafka({
      clientId: 'ledger-relay-stand-in',
      brokers: [broker.address],
      logLevel: logLevel.NOTHING,
      retry: FAST_RETRY,
    });
    const admin = kafka.admin();
    const producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
    return new LedgerKafka(broker, admin, producer);
  }

  get brokers(): string[] {
    return [this.broker.address];
  }

  /** A fresh pair of topics, so the tests of one file share the broker without seeing each other's records. */
  async createTopics(partitions: { state?: number; events?: number } = {}): Promise<LedgerTopics> {
    this.topicCount += 1;
    const topics = { events: `consent.events.v1.t${this.topicCount}`, state: `consent.state.v1.t${this.topicCount}` };
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: topics.state, numPartitions: partitions.state ?? 1 },
        { topic: topics.events, numPartitions: partitions.events ?? 1 },
      ],
    });
    return topics;
  }

  /** Drops every connection and listens again on the same port, keeping topics and committed offsets. */
  async restartBroker(): Promise<void> {
    await this.broker.restart();
  }

  async publish(topic: string, ...messages: Message[]): Promise<void> {
    await this.producer.send({ topic, messages });
  }

  client(topics: LedgerTopics, httpBaseUrl: string, options: Partial<ConsentClientOptions> = {}): ConsentClient {
    const client = new ConsentClient({
      brokers: this.brokers,
      httpBaseUrl,
      apiKey: 'test-key',
      topics,
      kafka: { logLevel: logLevel.NOTHING, retry: FAST_RETRY },
      consumer: FAST_CONSUMER,
      ...options,
    });
    this.clients.push(client);
    return client;
  }

  async stop(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.stop()));
    await Promise.all([this.producer.disconnect(), this.admin.disconnect()]);
    await this.broker.stop();
  }
}
