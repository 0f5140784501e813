/** Keeps the last lines a child process printed: enough to explain why it died, never its whole log. */
export class OutputTail {
  private readonly lines: string[] = [];

  constructor(private readonly keep = 40) {}

  write(chunk: Buffer | string): void {
    for (const line of chunk.toString().split('\n')) {
      if (line.trim() === '') continue;
      this.lines.push(line);
      if (this.lines.length > this.keep) this.lines.shift();
    }
  }

  text(): string {
    return this.lines.join('\n');
  }
}
