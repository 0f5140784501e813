import * as fs from 'node:fs';

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
    let written = 0;
    while (written < data.length) {
      written += fs.writeSync(this.descriptor, data, written, data.length - written);
    }
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
