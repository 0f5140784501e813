import { ProducerSequences } from '../producers/producer-sequences';
import { ErrorCode } from '../protocol/error-code';
import { CURRENT_MAGIC, RecordBatch, splitRecordSet } from '../protocol/record-batch';
import { AppendOnlyFile } from '../storage/append-only-file';

export interface AppendResult {
  readonly errorCode: ErrorCode;
  /** Offset of the batch's first record; for a retried batch, the offset it got the first time. */
  readonly baseOffset: bigint;
}

export interface OffsetAtTime {
  readonly offset: bigint;
  readonly timestamp: bigint;
}

/**
 * One partition: record batches stored whole, exactly as produced except for the base offset, and served
 * back whole. Nothing is ever deleted, so the log start offset is always 0 (compaction is not applied;
 * keeping every record is a superset of what a compacted topic must return).
 */
export class PartitionLog {
  readonly logStartOffset = 0n;
  private readonly batches: RecordBatch[] = [];
  private nextOffset = 0n;
  private readonly sequences = new ProducerSequences();
  private readonly appendListeners = new Set<() => void>();

  private constructor(private readonly file: AppendOnlyFile | null) {}

  static inMemory(): PartitionLog {
    return new PartitionLog(null);
  }

  /** Backed by a file, whose batches are reloaded; a torn or corrupt tail is cut off and its size returned for logging. */
  static open(file: AppendOnlyFile): { log: PartitionLog; droppedBytes: number } {
    const contents = file.readAll();
    const { batches } = splitRecordSet(contents);
    const log = new PartitionLog(file);
    let intactLength = 0;
    for (const batch of batches) {
      if (batch.magic !== CURRENT_MAGIC || !batch.isIntact()) break;
      log.store(batch);
      intactLength += batch.bytes.length;
    }
    if (intactLength < contents.length) file.truncate(intactLength);
    return { log, droppedBytes: contents.length - intactLength };
  }

  /** The offset the next record will get. */
  get highWatermark(): bigint {
    return this.nextOffset;
  }

  /** Appends a validated v2 batch, unless it retries one already appended. Copies the bytes: the input views a request frame. */
  append(batch: RecordBatch): AppendResult {
    const verdict = this.sequences.check(batch);
    if (verdict.kind === 'duplicate') return { errorCode: ErrorCode.None, baseOffset: verdict.baseOffset };
    if (verdict.kind === 'rejected') return { errorCode: verdict.errorCode, baseOffset: -1n };

    const stored = new RecordBatch(Buffer.from(batch.bytes));
    stored.baseOffset = this.nextOffset;
    this.file?.append(stored.bytes);
    this.store(stored);
    this.wakeListeners();
    return { errorCode: ErrorCode.None, baseOffset: stored.baseOffset };
  }

  /**
   * Whole batches from the one holding fetchOffset (so the first may start before it; clients skip those
   * records), at least one when any exists, then as many as fit in maxBytes.
   */
  read(fetchOffset: bigint, maxBytes: number): Buffer[] {
    const result: Buffer[] = [];
    let size = 0;
    for (let i = this.indexOfBatchHolding(fetchOffset); i < this.batches.length; i++) {
      const bytes = this.batches[i].bytes;
      if (result.length > 0 && size + bytes.length > maxBytes) break;
      result.push(bytes);
      size += bytes.length;
    }
    return result;
  }

  /** The first batch whose newest record is at least as recent as timestamp, as ListOffsets wants. */
  offsetAtTime(timestamp: bigint): OffsetAtTime | null {
    const batch = this.batches.find((candidate) => candidate.maxTimestamp >= timestamp);
    return batch ? { offset: batch.baseOffset, timestamp: batch.maxTimestamp } : null;
  }

  /** Calls listener on every append until the returned function is called; long-polling fetches wake on it. */
  onAppend(listener: () => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  close(): void {
    this.file?.close();
  }

  /** Closes the file and wakes waiting fetches, which then find the topic gone. */
  delete(): void {
    this.close();
    this.wakeListeners();
  }

  producerIds(): IterableIterator<bigint> {
    return this.sequences.producerIds();
  }

  private wakeListeners(): void {
    for (const listener of [...this.appendListeners]) listener();
  }

  private store(batch: RecordBatch): void {
    this.batches.push(batch);
    this.nextOffset = batch.lastOffset + 1n;
    this.sequences.record(batch);
  }

  private indexOfBatchHolding(offset: bigint): number {
    let low = 0;
    let high = this.batches.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.batches[middle].lastOffset < offset) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
