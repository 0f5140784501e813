/** Exponential backoff between failed relay cycles: 100 ms doubling up to 5 s, reset by a success. */
export class RetryBackoff {
  private count = 0;

  constructor(
    private readonly firstMs = 100,
    private readonly maxMs = 5_000,
  ) {}

  /** Consecutive failures so far. */
  get failures(): number {
    return this.count;
  }

  /** Counts a failure; returns how long to wait before the next attempt. */
  failed(): number {
    this.count += 1;
    return Math.min(this.maxMs, this.firstMs * 2 ** (this.count - 1));
  }

  /** Counts a success; returns how many failures it ended. */
  succeeded(): number {
    const ended = this.count;
    this.count = 0;
    return ended;
  }
}
