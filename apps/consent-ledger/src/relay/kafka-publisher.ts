import { Kafka, Message, Producer, TopicMessages } from 'kafkajs';
import { MessageSigner } from '../proof/message-signer';
import { inPublishSpan } from '../tracing/trace-context';

export const EVENTS_TOPIC = 'consent.events.v1';
export const STATE_TOPIC = 'consent.state.v1';

export interface PublishBatch {
  events: Message[];
  states: Message[];
}

/**
 * The relay's idempotent producer. It connects on first use and, after any failure, starts over
 * with a fresh producer on the next call: a send that failed may or may not have been appended, and
 * the relay resends the whole batch anyway (at least once), so no producer state is worth keeping.
 */
export class KafkaPublisher {
  private producer: Producer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly partitions: number,
    /** Signs every message with the log's key, so subscribers can drop records anyone else produced. */
    private readonly sign: MessageSigner = (_topic, message) => message,
  ) {}

  /**
   * Connects if needed. Returns true when this connection had to create a topic: the broker then holds
   * nothing of what the checkpoint says was published (a new or wiped cluster).
   */
  async connect(): Promise<boolean> {
    if (this.producer) return false;
    const created = await this.ensureTopics();
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // An idempotent producer retries forever by default, which would hide an outage inside one send:
      // the relay's own backoff retries instead, and health can report Kafka as degraded meanwhile.
      retry: { retries: 3 },
    });
    await producer.connect();
    this.producer = producer;
    return created;
  }

  async publish(batch: PublishBatch): Promise<void> {
    const producer = this.producer;
    if (!producer) throw new Error('the Kafka producer is not connected');
    const topicMessages: TopicMessages[] = [
      { topic: EVENTS_TOPIC, messages: batch.events },
      { topic: STATE_TOPIC, messages: batch.states },
    ]
      .filter((t) => t.messages.length > 0)
      .map((t) => ({ topic: t.topic, messages: t.messages.map((message) => this.sign(t.topic, message)) }));
    if (topicMessages.length === 0) return;
    try {
      await inPublishSpan(EVENTS_TOPIC, batch.events, () => producer.sendBatch({ topicMessages, acks: -1 }));
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
      const created = await Promise.all(
        [
          { topic: EVENTS_TOPIC, numPartitions: this.partitions },
          // Compacted: the latest entry per purpose and subject is the current state.
          { topic: STATE_TOPIC, numPartitions: this.partitions, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
        ].map((topic) => admin.createTopics({ waitForLeaders: true, topics: [topic] })),
      );
      return created.some(Boolean);
    } finally {
      await admin.disconnect();
    }
  }
}
