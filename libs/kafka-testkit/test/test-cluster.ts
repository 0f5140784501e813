import { Admin, Consumer, ConsumerConfig, IHeaders, Kafka, logLevel, Producer, ProducerConfig } from 'kafkajs';
import { KafkaBroker, KafkaBrokerOptions } from '../src';

/** Group protocol timings in milliseconds instead of Kafka's production seconds. */
const FAST_CONSUMER: Omit<ConsumerConfig, 'groupId'> = {
  heartbeatInterval: 50,
  sessionTimeout: 1000,
  rebalanceTimeout: 3000,
  maxWaitTimeInMs: 100,
  retry: { initialRetryTime: 50, retries: 10 },
};

interface Disconnectable {
  disconnect(): Promise<void>;
}

/** A broker on a free port and the kafkajs clients of one test, all stopped together. */
export class TestCluster {
  private readonly clients: Disconnectable[] = [];

  private constructor(
    readonly broker: KafkaBroker,
    readonly kafka: Kafka,
  ) {}

  static async start(options: KafkaBrokerOptions = {}): Promise<TestCluster> {
    const broker = await KafkaBroker.start({ ...options, port: 0 });
    const kafka = new Kafka({
      clientId: 'kafka-testkit-test',
      brokers: [broker.address],
      logLevel: logLevel.NOTHING,
      retry: { initialRetryTime: 50, retries: 10 },
    });
    return new TestCluster(broker, kafka);
  }

  admin(): Promise<Admin> {
    return this.connect(this.kafka.admin());
  }

  /** Creates the topic through a new admin client, which is returned for further use. */
  async createTopic(topic: string, numPartitions: number): Promise<Admin> {
    const admin = await this.admin();
    await admin.createTopics({ topics: [{ topic, numPartitions }] });
    return admin;
  }

  producer(config: ProducerConfig = {}): Promise<Producer> {
    return this.connect(this.kafka.producer(config));
  }

  consumer(groupId: string, config: Omit<ConsumerConfig, 'groupId'> = {}): Promise<Consumer> {
    return this.connect(this.kafka.consumer({ ...FAST_CONSUMER, ...config, groupId }));
  }

  /** A running consumer of topic from the beginning, collecting each message value in order of delivery. */
  async consumeValues(groupId: string, topic: string, config: Omit<ConsumerConfig, 'groupId'> = {}): Promise<{ consumer: Consumer; values: string[] }> {
    const values: string[] = [];
    const consumer = await this.consumer(groupId, config);
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void values.push(String(message.value)) });
    return { consumer, values };
  }

  /** Disconnects every client (consumers leave their groups), then stops the broker. */
  async stop(): Promise<void> {
    await Promise.allSettled(this.clients.map((client) => client.disconnect()));
    await this.broker.stop();
  }

  private async connect<T extends Disconnectable & { connect(): Promise<void> }>(client: T): Promise<T> {
    this.clients.push(client);
    await client.connect();
    return client;
  }
}

/** A fresh cluster for each test of the enclosing describe block, stopped after the test; call the result inside tests. */
export function useTestCluster(options: KafkaBrokerOptions = {}): () => TestCluster {
  let current: TestCluster | null = null;
  beforeEach(async () => {
    current = await TestCluster.start(options);
  });
  afterEach(async () => {
    await current?.stop();
    current = null;
  });
  return () => {
    if (current === null) throw new Error('the test cluster exists only while a test runs');
    return current;
  };
}

/** Waits for a condition other code makes true; the assertions come after, on exact values. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Header values as strings; a header sent several times under one key comes back as an array. */
export function decodeHeaders(headers: IHeaders | undefined): Record<string, string | string[]> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).map(([key, value]) => [
      key,
      Array.isArray(value) ? value.map((item) => item.toString()) : String(value?.toString()),
    ]),
  );
}

/** The partitions of topic the consumer was given at its latest group join, kept up to date. */
export function trackAssignment(consumer: Consumer, topic: string): { partitions: number[] } {
  const assignment = { partitions: [] as number[] };
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    assignment.partitions = [...(payload.memberAssignment[topic] ?? [])].sort();
  });
  return assignment;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
