import { Kafka, Message, TopicMessages } from 'kafkajs';
import { TopicProducer } from '../kafka/topic-producer';
import { MessageSigner } from '../proof/message-signer';
import { inPublishSpan } from '../tracing/trace-context';

export const EVENTS_TOPIC = 'consent.events.v1';
export const STATE_TOPIC = 'consent.state.v1';

export interface PublishBatch {
  events: Message[];
  states: Message[];
}

/**
 * The relay's idempotent producer (a TopicProducer): it connects on first use and, after any failure,
 * starts over with a fresh producer on the next call, since the relay resends the whole batch anyway.
 */
export class KafkaPublisher {
  private readonly producer: TopicProducer;

  constructor(
    kafka: Kafka,
    partitions: number,
    /** Signs every message with the log's key, so subscribers can drop records anyone else produced. */
    private readonly sign: MessageSigner = (_topic, message) => message,
  ) {
    this.producer = new TopicProducer(
      kafka,
      [
        { topic: EVENTS_TOPIC, numPartitions: partitions },
        // Compacted: the latest entry per purpose and subject is the current state.
        { topic: STATE_TOPIC, numPartitions: partitions, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
      ],
      {
        idempotent: true,
        maxInFlightRequests: 1,
        // An idempotent producer retries forever by default, which would hide an outage inside one send:
        // the relay's own backoff retries instead, and health can report Kafka as degraded meanwhile.
        retry: { retries: 3 },
      },
    );
  }

  /**
   * Connects if needed. Returns true when this connection had to create a topic: the broker then holds
   * nothing of what the checkpoint says was published (a new or wiped cluster).
   */
  connect(): Promise<boolean> {
    return this.producer.connect();
  }

  async publish(batch: PublishBatch): Promise<void> {
    const topicMessages: TopicMessages[] = [
      { topic: EVENTS_TOPIC, messages: batch.events },
      { topic: STATE_TOPIC, messages: batch.states },
    ]
      .filter((t) => t.messages.length > 0)
      .map((t) => ({ topic: t.topic, messages: t.messages.map((message) => this.sign(t.topic, message)) }));
    if (topicMessages.length === 0) return;
    await this.producer.send((producer) => inPublishSpan(EVENTS_TOPIC, batch.events, () => producer.sendBatch({ topicMessages, acks: -1 })), false);
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}
