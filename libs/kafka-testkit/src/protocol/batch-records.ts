import { ProtocolError } from './protocol-error';

/** One record of an uncompressed record batch v2, located by its bytes rather than decoded. */
export interface BatchRecord {
  /** Where the record (its length prefix included) starts and ends within the batch bytes. */
  readonly start: number;
  readonly end: number;
  readonly offsetDelta: number;
  readonly timestampDelta: number;
  /** A view into the batch, or null for a record without a key. */
  readonly key: Buffer | null;
  /** A null value: a tombstone, which deletes its key from a compacted topic. */
  readonly isTombstone: boolean;
}

/**
 * The records of an uncompressed batch (KIP-98 record layout: length, attributes, timestampDelta,
 * offsetDelta, key, value, headers), read without copying. Throws ProtocolError on bytes that do not
 * parse; the caller decides whether that rejects a produce or leaves a stored batch alone.
 */
export function readBatchRecords(bytes: Buffer, recordsStart: number, recordCount: number): BatchRecord[] {
  const cursor = new VarintCursor(bytes, recordsStart);
  const records: BatchRecord[] = [];
  for (let i = 0; i < recordCount; i++) {
    const start = cursor.position;
    const length = cursor.varint();
    const end = cursor.position + length;
    if (length < 0 || end > bytes.length) throw new ProtocolError('record extends past its batch');
    cursor.skip(1); // attributes: unused in v2
    const timestampDelta = cursor.varlong();
    const offsetDelta = cursor.varint();
    const keyLength = cursor.varint();
    const key = keyLength < 0 ? null : cursor.take(keyLength);
    const valueLength = cursor.varint();
    records.push({ start, end, offsetDelta, timestampDelta, key, isTombstone: valueLength < 0 });
    cursor.position = end;
  }
  if (cursor.position !== bytes.length) throw new ProtocolError('record count does not match the batch length');
  return records;
}

/** Protobuf-style zigzag varints, as Kafka's records use them. */
class VarintCursor {
  constructor(
    private readonly bytes: Buffer,
    public position: number,
  ) {}

  varint(): number {
    let raw = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.byte();
      raw |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return (raw >>> 1) ^ -(raw & 1);
    }
    throw new ProtocolError('varint longer than 5 bytes');
  }

  /** Exact up to 2^53, far beyond any timestamp delta. */
  varlong(): number {
    let raw = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      const byte = this.byte();
      raw += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
    }
    throw new ProtocolError('varlong longer than 10 bytes');
  }

  skip(count: number): void {
    this.take(count);
  }

  take(count: number): Buffer {
    const end = this.position + count;
    if (end > this.bytes.length) throw new ProtocolError('record truncated');
    const view = this.bytes.subarray(this.position, end);
    this.position = end;
    return view;
  }

  private byte(): number {
    if (this.position >= this.bytes.length) throw new ProtocolError('record truncated');
    return this.bytes[this.position++];
  }
}
