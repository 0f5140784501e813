import { FrameDecoder } from '../src/network/frame-decoder';
import { crc32c } from '../src/protocol/crc32c';
import { incrementSequence } from '../src/protocol/record-batch';
import { Reader } from '../src/protocol/reader';
import { Writer } from '../src/protocol/writer';

describe('kafka-testkit codec', () => {
  it('computes CRC-32C (Castagnoli) check values', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    // RFC 3720 B.4 (iSCSI) test vectors; the 9 bytes above also end with one after the last 8-byte step.
    expect(crc32c(Buffer.alloc(32))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i)))).toBe(0x46dd794e);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)))).toBe(0x113fdb5c);
  });

  it('round-trips every primitive, with int64 as bigint', () => {
    const bytes = new Writer(1)
      .int8(-2)
      .int16(-300)
      .int32(-70000)
      .int64(-(2n ** 62n))
      .boolean(true)
      .string('héllo')
      .nullableString(null)
      .bytes(Buffer.from([1, 2, 3]))
      .array([7, 8], (item, writer) => writer.int32(item))
      .toBuffer();
    const reader = new Reader(bytes);
    expect([reader.int8(), reader.int16(), reader.int32(), reader.int64(), reader.boolean(), reader.string(), reader.nullableString()]).toEqual([
      -2,
      -300,
      -70000,
      -(2n ** 62n),
      true,
      'héllo',
      null,
    ]);
    expect(reader.nullableBytes()).toEqual(Buffer.from([1, 2, 3]));
    expect(reader.array((item) => item.int32())).toEqual([7, 8]);
    expect(() => reader.int8()).toThrow('request truncated');
  });

  it('wraps producer sequence numbers from int32 max to 0', () => {
    expect(incrementSequence(5, 3)).toBe(8);
    expect(incrementSequence(0x7fffffff, 1)).toBe(0);
    expect(incrementSequence(0x7ffffffe, 4)).toBe(2);
  });

  it('cuts frames out of a stream however it is chunked', () => {
    const frame = (payload: string): Buffer => new Writer().bytes(Buffer.from(payload)).toBuffer();
    const stream = Buffer.concat([frame('first'), frame(''), frame('third frame')]);
    const decoder = new FrameDecoder();
    const frames = [...stream].flatMap((byte) => decoder.push(Buffer.from([byte])));
    expect(frames.map((payload) => payload.toString())).toEqual(['first', '', 'third frame']);
    expect(() => new FrameDecoder().push(Buffer.from([0xff, 0xff, 0xff, 0xff]))).toThrow('invalid frame size');
  });
});
