import { LRUCache } from 'lru-cache';

const WINDOW_MS = 60_000;
/** Addresses tracked at once; beyond it the least recently failing one is forgotten. */
const MAX_ADDRESSES = 10_000;

interface Window {
  startedAt: number;
  failures: number;
}

/**
 * Unknown API keys per client address, in fixed one-minute windows. Only failures count, so a
 * busy client with a valid key is never slowed; a key-guessing flood is refused before each guess
 * costs a database lookup.
 */
export class AuthFailureLimiter {
  private readonly windows = new LRUCache<string, Window>({ max: MAX_ADDRESSES });

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** 0 when the address may try a key now, else the seconds until its window ends. */
  retryAfterSeconds(address: string): number {
    const window = this.current(address);
    return window && window.failures >= this.perMinute ? Math.ceil((window.startedAt + WINDOW_MS - this.now()) / 1000) : 0;
  }

  record(address: string): void {
    const window = this.current(address);
    if (window) window.failures++;
    else this.windows.set(address, { startedAt: this.now(), failures: 1 });
  }

  private current(address: string): Window | undefined {
    const window = this.windows.get(address);
    return window && this.now() - window.startedAt < WINDOW_MS ? window : undefined;
  }
}
