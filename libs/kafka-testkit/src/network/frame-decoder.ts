import { ProtocolError } from '../protocol/protocol-error';

const SIZE_PREFIX = 4;
/** Kafka's default socket.request.max.bytes; anything larger is a confused or hostile client. */
const MAX_FRAME_SIZE = 100 * 1024 * 1024;

/** Cuts a TCP byte stream into Kafka frames: an int32 size, then that many bytes. */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private bufferedLength = 0;
  /** Size of the frame being received, once its prefix has arrived; -1 before. */
  private frameSize = -1;

  /** Returns the frames this chunk completes, without their size prefix. */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.bufferedLength += chunk.length;
    const frames: Buffer[] = [];
    for (;;) {
      if (this.frameSize < 0) {
        if (this.bufferedLength < SIZE_PREFIX) break;
        this.frameSize = this.buffered().readInt32BE(0);
        if (this.frameSize < 0 || this.frameSize > MAX_FRAME_SIZE) throw new ProtocolError(`invalid frame size ${this.frameSize}`);
      }
      // Chunks are joined only once the whole frame is there, so a large frame is not copied chunk after chunk.
      if (this.bufferedLength < SIZE_PREFIX + this.frameSize) break;
      const buffered = this.buffered();
      const end = SIZE_PREFIX + this.frameSize;
      frames.push(buffered.subarray(SIZE_PREFIX, end));
      this.chunks = end < buffered.length ? [buffered.subarray(end)] : [];
      this.bufferedLength -= end;
      this.frameSize = -1;
    }
    return frames;
  }

  private buffered(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.bufferedLength)];
    return this.chunks[0];
  }
}
