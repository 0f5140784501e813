import { KafkaBroker, PartitionCompaction } from '@consent-ledger/kafka-testkit';
import { answerRequests, announceReady } from '../support/child-role';

export interface KafkaBrokerReady {
  /** host:port for kafkajs' `brokers`. */
  address: string;
}

/** Passes only when asked (CompactRequest), so that a figure can read the same log before and after one. */
export const MANUAL_COMPACTION = '--manual-compaction';

export interface CompactRequest {
  compact: true;
}

export interface CompactReply {
  compacted: PartitionCompaction[];
  /** Wall time of the passes, in the broker's process. */
  ms: number;
}

/** The in-repo broker in a process of its own, so its work is not charged to the bench's consumers. */
export async function runKafkaBroker(args: readonly string[]): Promise<void> {
  const manual = args.includes(MANUAL_COMPACTION);
  const broker = await KafkaBroker.start({ port: 0, ...(manual ? { compaction: { intervalMs: 0 } } : {}) });
  answerRequests<CompactRequest, CompactReply>(async () => {
    const start = performance.now();
    const compacted = await broker.compact();
    return { compacted, ms: performance.now() - start };
  });
  announceReady<KafkaBrokerReady>({ address: broker.address }, () => broker.stop());
}
