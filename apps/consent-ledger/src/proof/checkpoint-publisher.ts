import { Kafka } from 'kafkajs';
import { TopicProducer } from '../kafka/topic-producer';

export const CHECKPOINTS_TOPIC = 'consent.checkpoints.v1';

/**
 * Publishes signed checkpoints so that subscribers (and witnesses) keep copies the operator cannot
 * take back. Best effort: the checkpoint is stored before this runs, and a failed send is retried
 * with the next checkpoint (the latest one is all a subscriber needs: consistency proofs link them).
 */
export class CheckpointPublisher {
  private readonly producer: TopicProducer;
  private pending: { origin: string; note: string } | undefined;

  constructor(kafka: Kafka, partitions: number) {
    this.producer = new TopicProducer(kafka, [{ topic: CHECKPOINTS_TOPIC, numPartitions: partitions }], { retry: { retries: 3 } });
  }

  async publish(origin: string, note: string): Promise<void> {
    this.pending = { origin, note };
    await this.flush();
  }

  async flush(): Promise<void> {
    const pending = this.pending;
    if (!pending) return;
    await this.producer.send((producer) => producer.send({ topic: CHECKPOINTS_TOPIC, acks: -1, messages: [{ key: pending.origin, value: pending.note }] }), true);
    if (this.pending === pending) this.pending = undefined;
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}
