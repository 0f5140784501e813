import { ErrorCode } from '../protocol/error-code';
import { incrementSequence, RecordBatch } from '../protocol/record-batch';

/** Kafka remembers this many batches per producer; kafkajs never has more than 5 requests in flight. */
const REMEMBERED_BATCHES = 5;

interface AppendedBatch {
  readonly firstSequence: number;
  readonly lastSequence: number;
  readonly baseOffset: bigint;
}

interface ProducerEntry {
  readonly epoch: number;
  readonly batches: AppendedBatch[];
}

export type SequenceVerdict =
  | { readonly kind: 'append' }
  | { readonly kind: 'duplicate'; readonly baseOffset: bigint }
  | { readonly kind: 'rejected'; readonly errorCode: ErrorCode };

const APPEND: SequenceVerdict = { kind: 'append' };

/** Idempotent-producer bookkeeping for one partition: detects retried batches and gaps in sequence numbers. */
export class ProducerSequences {
  private readonly producers = new Map<bigint, ProducerEntry>();

  check(batch: RecordBatch): SequenceVerdict {
    const entry = this.producers.get(batch.producerId);
    // Unknown producers and new epochs start fresh, so a producer whose state was never seen is accepted.
    if (batch.producerId < 0n || entry === undefined || batch.producerEpoch > entry.epoch) return APPEND;
    if (batch.producerEpoch < entry.epoch) return { kind: 'rejected', errorCode: ErrorCode.InvalidProducerEpoch };

    const { baseSequence, lastSequence } = batch;
    const original = entry.batches.find((b) => b.firstSequence === baseSequence && b.lastSequence === lastSequence);
    // A retry of an appended batch succeeds with the original offset; Kafka's DUPLICATE_SEQUENCE_NUMBER would make kafkajs fail.
    if (original) return { kind: 'duplicate', baseOffset: original.baseOffset };

    const latest = entry.batches[entry.batches.length - 1];
    if (baseSequence !== incrementSequence(latest.lastSequence, 1)) {
      return { kind: 'rejected', errorCode: ErrorCode.OutOfOrderSequenceNumber };
    }
    return APPEND;
  }

  /** Called with the batch once its base offset is assigned, also when a log is reloaded from disk. */
  record(batch: RecordBatch): void {
    if (batch.producerId < 0n) return;
    let entry = this.producers.get(batch.producerId);
    if (entry === undefined || batch.producerEpoch > entry.epoch) {
      entry = { epoch: batch.producerEpoch, batches: [] };
      this.producers.set(batch.producerId, entry);
    }
    entry.batches.push({ firstSequence: batch.baseSequence, lastSequence: batch.lastSequence, baseOffset: batch.baseOffset });
    if (entry.batches.length > REMEMBERED_BATCHES) entry.batches.shift();
  }

  producerIds(): IterableIterator<bigint> {
    return this.producers.keys();
  }
}
