import * as fs from 'node:fs';
import { promisify } from 'node:util';

const writev = promisify(fs.writev);
const fsync = promisify(fs.fsync);
/** Bytes handed to one asynchronous write while a replacement is written. */
const REPLACEMENT_CHUNK_BYTES = 1 << 20;

/** A complete new content for a file, written beside it and synced, waiting to be swapped in. */
export interface FileReplacement {
  /** Appends the bytes written to the file meanwhile, then renames the new content over the file. Synchronous. */
  commit(tail: readonly Uint8Array[]): void;
  /** Throws the new content away; the file stays as it is. */
  discard(): void;
}

/**
 * A file only ever appended to. Writes are synchronous so that data is in the OS page cache before the
 * broker acknowledges it: a stop, restart or crash of this process then keeps every acknowledged write.
 */
export class AppendOnlyFile {
  private descriptor: number | null = null;

  constructor(readonly path: string) {}

  /** The whole file, empty when it does not exist yet. */
  readAll(): Buffer {
    try {
      return fs.readFileSync(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
      throw error;
    }
  }

  /** Cuts a torn tail left by a crash mid-write, so later appends follow whole entries. */
  truncate(length: number): void {
    this.close();
    fs.truncateSync(this.path, length);
  }

  append(data: Uint8Array): void {
    this.descriptor ??= fs.openSync(this.path, 'a');
    writeSyncAll(this.descriptor, data);
  }

  private get replacementPath(): string {
    return `${this.path}.compacted`;
  }

  /**
   * Writes a new content for the file beside it (asynchronously, calling pause between chunks so
   * appends go on meanwhile) and syncs it, so that the rename in commit() never leaves a partial file.
   */
  async prepareReplacement(parts: readonly Uint8Array[], pause: () => Promise<void>): Promise<FileReplacement> {
    const temporary = this.replacementPath;
    const descriptor = fs.openSync(temporary, 'w');
    const discard = (): void => {
      fs.closeSync(descriptor);
      fs.rmSync(temporary, { force: true });
    };
    try {
      let chunk: Uint8Array[] = [];
      let chunkBytes = 0;
      for (const part of parts) {
        chunk.push(part);
        chunkBytes += part.length;
        if (chunkBytes < REPLACEMENT_CHUNK_BYTES) continue;
        await writeAll(descriptor, chunk, chunkBytes);
        chunk = [];
        chunkBytes = 0;
        await pause();
      }
      await writeAll(descriptor, chunk, chunkBytes);
      await fsync(descriptor);
    } catch (error) {
      discard();
      throw error;
    }
    return {
      commit: (tail) => {
        for (const part of tail) writeSyncAll(descriptor, part);
        fs.closeSync(descriptor);
        fs.renameSync(temporary, this.path);
        // The descriptor open for appends points at the replaced file; the next append opens the new one.
        this.close();
      },
      discard,
    };
  }

  /** Removes what a replacement interrupted by a crash left; the file itself is intact. */
  discardInterruptedReplacement(): void {
    fs.rmSync(this.replacementPath, { force: true });
  }

  close(): void {
    if (this.descriptor === null) return;
    fs.closeSync(this.descriptor);
    this.descriptor = null;
  }
}

/** Writes a whole file at once through a rename, so a reader never sees it half written. */
export function writeFileAtomically(path: string, data: string | Uint8Array): void {
  const temporary = `${path}.tmp`;
  fs.writeFileSync(temporary, data);
  fs.renameSync(temporary, path);
}

function writeSyncAll(descriptor: number, data: Uint8Array): void {
  let written = 0;
  while (written < data.length) {
    written += fs.writeSync(descriptor, data, written, data.length - written);
  }
}

/** writev may write less than asked; the rest follows until every byte is written. */
async function writeAll(descriptor: number, parts: readonly Uint8Array[], byteCount: number): Promise<void> {
  if (byteCount === 0) return;
  const { bytesWritten: written } = await writev(descriptor, parts as NodeJS.ArrayBufferView[]);
  if (written === byteCount) return;
  const rest = Buffer.concat(parts).subarray(written);
  writeSyncAll(descriptor, rest);
}
