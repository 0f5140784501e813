import { BatchRecord, readBatchRecords } from './batch-records';
import { crc32c } from './crc32c';

// Byte positions in a record batch v2 header (KIP-98).
const BASE_OFFSET = 0;
const BATCH_LENGTH = 8;
const MAGIC = 16;
const CRC = 17;
const ATTRIBUTES = 21;
const LAST_OFFSET_DELTA = 23;
const FIRST_TIMESTAMP = 27;
const MAX_TIMESTAMP = 35;
const PRODUCER_ID = 43;
const PRODUCER_EPOCH = 51;
const BASE_SEQUENCE = 53;
const RECORD_COUNT = 57;
const HEADER_SIZE = 61;
/** baseOffset and batchLength precede the bytes that batchLength counts. */
const LOG_OVERHEAD = BATCH_LENGTH + 4;
const INT32_MAX = 0x7fffffff;
const COMPRESSION_MASK = 0x07;
const LOG_APPEND_TIME_FLAG = 0x08;
const CONTROL_FLAG = 0x20;
/** Kafka's RecordBatch.NO_TIMESTAMP, the max timestamp of a batch left without records. */
const NO_TIMESTAMP = -1n;

export const CURRENT_MAGIC = 2;

/**
 * A view over one record batch. The broker keeps records opaque: it reads the header and rewrites
 * baseOffset, which the CRC deliberately does not cover. Only log compaction reads the records, and
 * rewrites a batch without some of them (withRecords).
 */
export class RecordBatch {
  private lastRecordOffsetCache: bigint | null = null;

  constructor(readonly bytes: Buffer) {}

  get baseOffset(): bigint {
    return this.bytes.readBigInt64BE(BASE_OFFSET);
  }

  set baseOffset(offset: bigint) {
    this.bytes.writeBigInt64BE(offset, BASE_OFFSET);
    this.lastRecordOffsetCache = null;
  }

  get lastOffset(): bigint {
    return this.baseOffset + BigInt(this.lastOffsetDelta);
  }

  get magic(): number {
    return this.bytes.readInt8(MAGIC);
  }

  get lastOffsetDelta(): number {
    return this.bytes.readInt32BE(LAST_OFFSET_DELTA);
  }

  get maxTimestamp(): bigint {
    return this.bytes.readBigInt64BE(MAX_TIMESTAMP);
  }

  get firstTimestamp(): bigint {
    return this.bytes.readBigInt64BE(FIRST_TIMESTAMP);
  }

  /** Compressed records are opaque to the broker: it has no codecs. */
  get isCompressed(): boolean {
    return (this.bytes.readInt16BE(ATTRIBUTES) & COMPRESSION_MASK) !== 0;
  }

  get isControl(): boolean {
    return (this.bytes.readInt16BE(ATTRIBUTES) & CONTROL_FLAG) !== 0;
  }

  get recordCount(): number {
    return this.bytes.readInt32BE(RECORD_COUNT);
  }

  /**
   * The offset of the last record the batch still holds: lastOffset unless compaction removed the
   * batch's last records (the header keeps the original lastOffsetDelta, as Kafka's cleaner does, so
   * that producer sequence numbers stay right), -1 when it holds none.
   */
  get lastRecordOffset(): bigint {
    if (this.lastRecordOffsetCache === null) {
      const count = this.recordCount;
      if (count === this.lastOffsetDelta + 1 || this.isCompressed) this.lastRecordOffsetCache = this.lastOffset;
      else if (count === 0) this.lastRecordOffsetCache = -1n;
      else this.lastRecordOffsetCache = this.baseOffset + BigInt(this.records().at(-1)?.offsetDelta ?? 0);
    }
    return this.lastRecordOffsetCache;
  }

  /** The records of an uncompressed batch; throws ProtocolError on bytes that do not parse. */
  records(): BatchRecord[] {
    return readBatchRecords(this.bytes, HEADER_SIZE, this.recordCount);
  }

  /**
   * This batch holding only `records` (a subset of its own, in order), as Kafka's cleaner rewrites it:
   * same base offset, lastOffsetDelta, first timestamp and producer fields, so every kept record keeps
   * its offset and timestamp; count, length, max timestamp and CRC-32C recomputed.
   */
  withRecords(records: readonly BatchRecord[]): RecordBatch {
    const size = HEADER_SIZE + records.reduce((total, record) => total + record.end - record.start, 0);
    const bytes = Buffer.allocUnsafe(size);
    this.bytes.copy(bytes, 0, 0, HEADER_SIZE);
    let position = HEADER_SIZE;
    for (const record of records) position += this.bytes.copy(bytes, position, record.start, record.end);
    bytes.writeInt32BE(size - LOG_OVERHEAD, BATCH_LENGTH);
    bytes.writeInt32BE(records.length, RECORD_COUNT);
    // With LogAppendTime the max timestamp is the append time of every record; otherwise the newest kept record's.
    if ((this.bytes.readInt16BE(ATTRIBUTES) & LOG_APPEND_TIME_FLAG) === 0) {
      const newest = records.reduce((max, record) => Math.max(max, record.timestampDelta), -Infinity);
      bytes.writeBigInt64BE(records.length === 0 ? NO_TIMESTAMP : this.firstTimestamp + BigInt(newest), MAX_TIMESTAMP);
    }
    bytes.writeUInt32BE(crc32c(bytes.subarray(ATTRIBUTES)), CRC);
    return new RecordBatch(bytes);
  }

  /** -1 for a producer that is not idempotent. */
  get producerId(): bigint {
    return this.bytes.readBigInt64BE(PRODUCER_ID);
  }

  get producerEpoch(): number {
    return this.bytes.readInt16BE(PRODUCER_EPOCH);
  }

  get baseSequence(): number {
    return this.bytes.readInt32BE(BASE_SEQUENCE);
  }

  get lastSequence(): number {
    return incrementSequence(this.baseSequence, this.lastOffsetDelta);
  }

  /** A full v2 header whose CRC-32C (attributes to end) matches. */
  isIntact(): boolean {
    return this.bytes.length >= HEADER_SIZE && this.bytes.readUInt32BE(CRC) === crc32c(this.bytes.subarray(ATTRIBUTES));
  }
}

/** Producer sequence numbers wrap from int32 max to 0, as in Kafka's DefaultRecordBatch.incrementSequence. */
export function incrementSequence(sequence: number, increment: number): number {
  return sequence > INT32_MAX - increment ? increment - (INT32_MAX - sequence) - 1 : sequence + increment;
}

export interface SplitRecordSet {
  readonly batches: RecordBatch[];
  /** Bytes covered by whole batches; less than the input when a partial batch trails. */
  readonly wholeLength: number;
}

/** Splits a record set (several batches back to back) by each batch's length field, without copying. */
export function splitRecordSet(recordSet: Buffer): SplitRecordSet {
  const batches: RecordBatch[] = [];
  let position = 0;
  while (recordSet.length - position >= LOG_OVERHEAD) {
    const size = LOG_OVERHEAD + recordSet.readInt32BE(position + BATCH_LENGTH);
    // Shorter than the magic byte means garbage; the magic is at the same place in every message format.
    if (size <= MAGIC || position + size > recordSet.length) break;
    batches.push(new RecordBatch(recordSet.subarray(position, position + size)));
    position += size;
  }
  return { batches, wholeLength: position };
}
