import { ProtocolError } from './protocol-error';

/** Sequential decoder of Kafka's big-endian primitive types (non-flexible versions only). */
export class Reader {
  private position = 0;

  constructor(private readonly buffer: Buffer) {}

  int8(): number {
    return this.take(1).readInt8(0);
  }

  int16(): number {
    return this.take(2).readInt16BE(0);
  }

  int32(): number {
    return this.take(4).readInt32BE(0);
  }

  int64(): bigint {
    return this.take(8).readBigInt64BE(0);
  }

  boolean(): boolean {
    return this.int8() !== 0;
  }

  string(): string {
    const value = this.nullableString();
    if (value === null) throw new ProtocolError('unexpected null string');
    return value;
  }

  nullableString(): string | null {
    const length = this.int16();
    return length < 0 ? null : this.take(length).toString('utf8');
  }

  /** A view into the request frame, not a copy: copy it before keeping it beyond the request. */
  nullableBytes(): Buffer | null {
    const length = this.int32();
    return length < 0 ? null : this.take(length);
  }

  /** Kafka encodes an absent array as length -1; every caller here treats it as empty except Metadata. */
  array<T>(readItem: (reader: Reader) => T): T[] {
    return this.nullableArray(readItem) ?? [];
  }

  nullableArray<T>(readItem: (reader: Reader) => T): T[] | null {
    const length = this.int32();
    if (length < 0) return null;
    const items: T[] = [];
    for (let i = 0; i < length; i++) items.push(readItem(this));
    return items;
  }

  private take(length: number): Buffer {
    const end = this.position + length;
    if (end > this.buffer.length) throw new ProtocolError(`request truncated: need ${end} bytes, have ${this.buffer.length}`);
    const view = this.buffer.subarray(this.position, end);
    this.position = end;
    return view;
  }
}
