/** Growable encoder of Kafka's big-endian primitive types; every method returns this for chaining. */
export class Writer {
  private buffer: Buffer;
  private length = 0;

  constructor(initialCapacity = 256) {
    this.buffer = Buffer.allocUnsafe(initialCapacity);
  }

  int8(value: number): this {
    this.reserve(1).writeInt8(value, this.length);
    this.length += 1;
    return this;
  }

  int16(value: number): this {
    this.reserve(2).writeInt16BE(value, this.length);
    this.length += 2;
    return this;
  }

  int32(value: number): this {
    this.reserve(4).writeInt32BE(value, this.length);
    this.length += 4;
    return this;
  }

  int64(value: bigint): this {
    this.reserve(8).writeBigInt64BE(value, this.length);
    this.length += 8;
    return this;
  }

  boolean(value: boolean): this {
    return this.int8(value ? 1 : 0);
  }

  string(value: string): this {
    const byteLength = Buffer.byteLength(value, 'utf8');
    this.int16(byteLength);
    this.reserve(byteLength).write(value, this.length, 'utf8');
    this.length += byteLength;
    return this;
  }

  nullableString(value: string | null): this {
    return value === null ? this.int16(-1) : this.string(value);
  }

  bytes(value: Uint8Array): this {
    return this.int32(value.length).raw(value);
  }

  /** One BYTES field made of several buffers, so stored record batches are copied once, straight into the response. */
  concatenatedBytes(parts: readonly Uint8Array[]): this {
    this.int32(parts.reduce((total, part) => total + part.length, 0));
    for (const part of parts) this.raw(part);
    return this;
  }

  array<T>(items: readonly T[], writeItem: (item: T, writer: this) => void): this {
    this.int32(items.length);
    for (const item of items) writeItem(item, this);
    return this;
  }

  toBuffer(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  private raw(value: Uint8Array): this {
    this.reserve(value.length).set(value, this.length);
    this.length += value.length;
    return this;
  }

  private reserve(byteCount: number): Buffer {
    const needed = this.length + byteCount;
    if (needed > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    return this.buffer;
  }
}
