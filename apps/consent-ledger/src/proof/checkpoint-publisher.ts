import { Kafka, Producer } from 'kafkajs';

export const CHECKPOINTS_TOPIC = 'consent.checkpoints.v1';

/**
 * Publishes signed checkpoints so that subscribers (and witnesses) keep copies the operator cannot
 * take back. Best effort: the checkpoint is stored before this runs, and a failed send is retried
 * with the next checkpoint (the latest one is all a subscriber needs: consistency proofs link them).
 */
export class CheckpointPublisher {
  private producer: Producer | undefined;
  private pending: { origin: string; note: string } | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly partitions: number,
  ) {}

  async publish(origin: string, note: string): Promise<void> {
    this.pending = { origin, note };
    await this.flush();
  }

  async flush(): Promise<void> {
    const pending = this.pending;
    if (!pending) return;
    try {
      const producer = this.producer ?? (await this.connect());
      await producer.send({ topic: CHECKPOINTS_TOPIC, acks: -1, messages: [{ key: pending.origin, value: pending.note }] });
      if (this.pending === pending) this.pending = undefined;
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

  private async connect(): Promise<Producer> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic: CHECKPOINTS_TOPIC, numPartitions: this.partitions }] });
    } finally {
      await admin.disconnect();
    }
    const producer = this.kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 3 } });
    await producer.connect();
    this.producer = producer;
    return producer;
  }
}
