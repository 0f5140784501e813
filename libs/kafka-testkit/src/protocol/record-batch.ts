import { crc32c } from './crc32c';

// Byte positions in a record batch v2 header (KIP-98).
const BASE_OFFSET = 0;
const BATCH_LENGTH = 8;
const MAGIC = 16;
const CRC = 17;
const ATTRIBUTES = 21;
const LAST_OFFSET_DELTA = 23;
const MAX_TIMESTAMP = 35;
const PRODUCER_ID = 43;
const PRODUCER_EPOCH = 51;
const BASE_SEQUENCE = 53;
const HEADER_SIZE = 61;
/** baseOffset and batchLength precede the bytes that batchLength counts. */
const LOG_OVERHEAD = BATCH_LENGTH + 4;
const INT32_MAX = 0x7fffffff;

export const CURRENT_MAGIC = 2;

/**
 * A view over one record batch. The broker keeps records opaque: it only reads the header,
 * and rewrites baseOffset, which the CRC deliberately does not cover.
 */
export class RecordBatch {
  constructor(readonly bytes: Buffer) {}

  get baseOffset(): bigint {
    return this.bytes.readBigInt64BE(BASE_OFFSET);
  }

  set baseOffset(offset: bigint) {
    this.bytes.writeBigInt64BE(offset, BASE_OFFSET);
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
