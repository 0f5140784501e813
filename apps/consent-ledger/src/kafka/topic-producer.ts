import { ITopicConfig, Kafka, Producer, ProducerConfig } from 'kafkajs';

/**
 * A producer that connects on first use, after creating its topics, and that any failed send drops:
 * a send that failed may or may not have been appended, and callers resend anyway (at least once),
 * so no producer state is worth keeping. The relay and the checkpoint publisher both send through one.
 */
export class TopicProducer {
  private producer: Producer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: readonly ITopicConfig[],
    private readonly config: ProducerConfig,
  ) {}

  /**
   * Connects if needed. Returns true when this connection had to create a topic: the broker then holds
   * nothing of what was published before (a new or wiped cluster).
   */
  async connect(): Promise<boolean> {
    if (this.producer) return false;
    const created = await this.ensureTopics();
    const producer = this.kafka.producer({ allowAutoTopicCreation: false, ...this.config });
    await producer.connect();
    this.producer = producer;
    return created;
  }

  /** Runs `send` on the connected producer (connecting first when `connectIfNeeded`); a failure drops the producer. */
  async send(send: (producer: Producer) => Promise<unknown>, connectIfNeeded: boolean): Promise<void> {
    if (!this.producer && connectIfNeeded) await this.connect();
    const producer = this.producer;
    if (!producer) throw new Error('the Kafka producer is not connected');
    try {
      await send(producer);
    } catch (error) {
      await this.disconnect();
      throw error;
    }
  }

  async disconnect(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => undefined);
  }

  private async ensureTopics(): Promise<boolean> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      // One topic a call: with several, kafkajs answers false as soon as any of them already exists.
      const created = await Promise.all(this.topics.map((topic) => admin.createTopics({ waitForLeaders: true, topics: [topic] })));
      return created.some(Boolean);
    } finally {
      await admin.disconnect();
    }
  }
}
