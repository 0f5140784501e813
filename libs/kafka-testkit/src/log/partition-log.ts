import * as fs from 'node:fs';
import { ProducerSequences } from '../producers/producer-sequences';
import { ErrorCode } from '../protocol/error-code';
import { CURRENT_MAGIC, RecordBatch, splitRecordSet } from '../protocol/record-batch';
import { AppendOnlyFile, writeFileAtomically } from '../storage/append-only-file';
import { compactBatches, Pause } from './log-compaction';

export interface AppendResult {
  readonly errorCode: ErrorCode;
  /** Offset of the batch's first record; for a retried batch, the offset it got the first time. */
  readonly baseOffset: bigint;
}

export interface OffsetAtTime {
  readonly offset: bigint;
  readonly timestamp: bigint;
}

export interface CompactionPolicy {
  readonly now: number;
  readonly deleteRetentionMs: number;
}

export interface DirtyThresholds {
  readonly now: number;
  readonly minDirtyRecords: number;
  readonly minDirtyRatio: number;
}

/** What one compaction pass did to the part of the log it could clean (all but the newest batch). */
export interface CompactionReport {
  readonly recordsBefore: number;
  readonly recordsAfter: number;
}

/**
 * One partition: record batches stored whole, exactly as produced except for the base offset, and served
 * back whole. Compaction (for compacted topics) removes records but never renumbers them, and no record
 * is ever deleted otherwise, so the log start offset is always 0.
 */
export class PartitionLog {
  readonly logStartOffset = 0n;
  private batches: RecordBatch[] = [];
  private nextOffset = 0n;
  private readonly sequences = new ProducerSequences();
  private readonly appendListeners = new Set<() => void>();
  private totalRecords = 0;
  /** Offsets below were compacted by the last pass; the records from here on are the dirty part. */
  private firstDirtyOffset = 0n;
  private dirtyRecords = 0;
  /** Tombstones a pass kept, by offset: when they may go. Persisted beside the log file. */
  private tombstoneHorizons = new Map<number, number>();
  private nextTombstoneHorizon = Infinity;
  private compacting = false;
  private deleted = false;

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
    file.discardInterruptedReplacement();
    log.loadTombstoneHorizons();
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
    let first = this.indexOfBatchHolding(fetchOffset);
    // Compaction may have left the batch holding fetchOffset without a record at or after it. kafkajs
    // would take such a batch for the end of what it asked and move one offset per request.
    while (first < this.batches.length && this.batches[first].lastRecordOffset < fetchOffset) first++;
    for (let i = first; i < this.batches.length; i++) {
      // An emptied batch only keeps a producer's sequence number for a reload; clients have no use for it.
      if (this.batches[i].recordCount === 0) continue;
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
    this.deleted = true;
    this.close();
    this.wakeListeners();
  }

  /**
   * Worth a compaction pass: enough dirty records that can be cleaned (min.cleanable.dirty.ratio of the
   * log, and at least minDirtyRecords), or a kept tombstone whose horizon has passed.
   */
  needsCompaction({ now, minDirtyRecords, minDirtyRatio }: DirtyThresholds): boolean {
    if (this.compacting || this.batches.length < 2) return false;
    const cleanableDirty = this.dirtyRecords - this.newestBatch.recordCount;
    if (cleanableDirty >= Math.max(1, minDirtyRecords) && cleanableDirty >= minDirtyRatio * this.totalRecords) return true;
    return this.nextTombstoneHorizon <= now;
  }

  /**
   * Keeps the latest record of each key in every batch but the newest (which, like Kafka's active
   * segment, stays as written: its records are what a consumer at the end reads next). Runs in slices
   * (pause), serving appends and fetches in between: appends made meanwhile stay after the compacted
   * part. The file is rewritten beside the log and renamed over it. Null when there was nothing to do, a
   * pass was already running, or the pass was abandoned (pause threw, the topic was deleted).
   */
  async compact(policy: CompactionPolicy, pause: Pause): Promise<CompactionReport | null> {
    if (this.compacting || this.batches.length < 2) return null;
    this.compacting = true;
    try {
      const tailIndex = this.batches.length - 1;
      const newestAtStart = this.newestBatch;
      const output = await compactBatches(
        {
          batches: this.batches.slice(0, tailIndex),
          firstDirtyOffset: this.firstDirtyOffset,
          producersAfter: new Set([newestAtStart.producerId]),
          tombstoneHorizons: this.tombstoneHorizons,
          ...policy,
        },
        pause,
      );
      if (this.deleted) return null;
      const replacement = this.file === null ? null : await this.file.prepareReplacement(output.batches.map((batch) => batch.bytes), pause);
      if (this.deleted) {
        replacement?.discard();
        return null;
      }
      // Synchronous from here on: no append can come between the file and the memory being swapped.
      const tail = this.batches.slice(tailIndex);
      replacement?.commit(tail.map((batch) => batch.bytes));
      this.batches = [...output.batches, ...tail];
      this.totalRecords -= output.recordsBefore - output.recordsAfter;
      this.firstDirtyOffset = newestAtStart.baseOffset;
      this.dirtyRecords = tail.reduce((total, batch) => total + batch.recordCount, 0);
      this.setTombstoneHorizons(output.tombstoneHorizons);
      if (this.file !== null) writeFileAtomically(this.tombstonesPath(this.file), JSON.stringify([...output.tombstoneHorizons]));
      return { recordsBefore: output.recordsBefore, recordsAfter: output.recordsAfter };
    } catch (error) {
      if (error instanceof CompactionAbandoned) return null;
      throw error;
    } finally {
      this.compacting = false;
    }
  }

  private get newestBatch(): RecordBatch {
    return this.batches[this.batches.length - 1];
  }

  private setTombstoneHorizons(horizons: Map<number, number>): void {
    this.tombstoneHorizons = horizons;
    this.nextTombstoneHorizon = Infinity;
    for (const horizon of horizons.values()) this.nextTombstoneHorizon = Math.min(this.nextTombstoneHorizon, horizon);
  }

  /** A log reloaded without its horizons (written after the log's rename) gives its tombstones a full delay again. */
  private loadTombstoneHorizons(): void {
    if (this.file === null) return;
    try {
      const entries = JSON.parse(fs.readFileSync(this.tombstonesPath(this.file), 'utf8')) as [number, number][];
      this.setTombstoneHorizons(new Map(entries));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  private tombstonesPath(file: AppendOnlyFile): string {
    return `${file.path}.tombstones.json`;
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
    this.totalRecords += batch.recordCount;
    this.dirtyRecords += batch.recordCount;
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

/** Thrown by a Pause to abandon a compaction pass (the broker stops); the log stays as it was. */
export class CompactionAbandoned extends Error {
  override readonly name = 'CompactionAbandoned';
}
