import { BatchRecord } from '../protocol/batch-records';
import { ProtocolError } from '../protocol/protocol-error';
import { RecordBatch } from '../protocol/record-batch';

export interface CompactionInput {
  /** The batches a pass may rewrite, oldest first: all but the log's newest (Kafka's active segment). */
  readonly batches: readonly RecordBatch[];
  /**
   * Offsets below were compacted by an earlier pass (Kafka's cleaner checkpoint): their keys are unique
   * there, so only the keys written from here on can supersede records, and only those are mapped.
   */
  readonly firstDirtyOffset: bigint;
  /** Producers with a batch after `batches`: their sequence numbers live on there. */
  readonly producersAfter: ReadonlySet<bigint>;
  /** When each tombstone an earlier pass kept may go, by offset. */
  readonly tombstoneHorizons: ReadonlyMap<number, number>;
  readonly now: number;
  /** delete.retention.ms: a tombstone survives this long after the first pass that saw it (KIP-534's delete horizon). */
  readonly deleteRetentionMs: number;
}

export interface CompactionOutput {
  readonly batches: RecordBatch[];
  readonly tombstoneHorizons: Map<number, number>;
  readonly recordsBefore: number;
  readonly recordsAfter: number;
}

/** Lets the event loop serve clients between slices of a long pass; throws to abandon the pass. */
export type Pause = () => Promise<void>;

/**
 * Kafka's log cleaner on a list of batches: a record survives when it is the latest of its key (or its
 * key was not written since the last pass), and a tombstone survives until its delete horizon. Offsets
 * never change: a batch loses records but keeps its header's offsets, and a batch left empty is dropped,
 * except the last one of an idempotent producer, kept empty so that a reload still knows its sequence.
 * Compressed and control batches, whose records the broker cannot read, are kept whole.
 */
export async function compactBatches(input: CompactionInput, pause: Pause): Promise<CompactionOutput> {
  const latest = await latestOffsetPerKey(input, pause);
  const lastBatchOfProducer = new Map<bigint, number>();
  input.batches.forEach((batch, index) => lastBatchOfProducer.set(batch.producerId, index));

  const batches: RecordBatch[] = [];
  const tombstoneHorizons = new Map<number, number>();
  let recordsBefore = 0;
  let recordsAfter = 0;
  for (const [index, batch] of input.batches.entries()) {
    const records = readableRecords(batch);
    if (records === null) {
      batches.push(batch);
      recordsBefore += batch.recordCount;
      recordsAfter += batch.recordCount;
      continue;
    }
    const baseOffset = Number(batch.baseOffset);
    const kept = records.filter((record) => {
      const offset = baseOffset + record.offsetDelta;
      // Compacted topics refuse records without key; one from a log written before stays.
      if (record.key === null) return true;
      const newest = latest.get(keyOf(record.key));
      if (newest !== undefined && newest !== offset) return false;
      if (!record.isTombstone) return true;
      const horizon = input.tombstoneHorizons.get(offset) ?? input.now + input.deleteRetentionMs;
      if (horizon <= input.now) return false;
      tombstoneHorizons.set(offset, horizon);
      return true;
    });
    recordsBefore += records.length;
    recordsAfter += kept.length;
    if (kept.length === records.length) batches.push(batch);
    else if (kept.length > 0 || holdsProducerState(batch, index, lastBatchOfProducer, input.producersAfter)) batches.push(batch.withRecords(kept));
    await pause();
  }
  return { batches, tombstoneHorizons, recordsBefore, recordsAfter };
}

/** The offset of each key's newest record in the dirty part. */
async function latestOffsetPerKey(input: CompactionInput, pause: Pause): Promise<Map<string, number>> {
  const latest = new Map<string, number>();
  for (const batch of input.batches) {
    if (batch.baseOffset < input.firstDirtyOffset) continue;
    const baseOffset = Number(batch.baseOffset);
    for (const record of readableRecords(batch) ?? []) {
      if (record.key !== null) latest.set(keyOf(record.key), baseOffset + record.offsetDelta);
    }
    await pause();
  }
  return latest;
}

/** Keys compare as bytes: latin1 maps each byte to one character. */
function keyOf(key: Buffer): string {
  return key.toString('latin1');
}

function readableRecords(batch: RecordBatch): BatchRecord[] | null {
  if (batch.isCompressed || batch.isControl) return null;
  try {
    return batch.records();
  } catch (error) {
    if (error instanceof ProtocolError) return null;
    throw error;
  }
}

/** Kafka's cleaner keeps the last batch of each idempotent producer, even emptied, for its sequence number. */
function holdsProducerState(batch: RecordBatch, index: number, lastBatchOfProducer: ReadonlyMap<bigint, number>, producersAfter: ReadonlySet<bigint>): boolean {
  return batch.producerId >= 0n && lastBatchOfProducer.get(batch.producerId) === index && !producersAfter.has(batch.producerId);
}
