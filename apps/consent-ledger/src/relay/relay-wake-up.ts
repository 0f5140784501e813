import { RetryBackoff } from './retry-backoff';

export interface WakeUpHooks {
  /** A cycle failed; the next one runs after the backoff's delay. */
  failed(error: unknown, failures: number): void;
  /** A cycle succeeded after `failures` failed ones (0: none). */
  recovered(failures: number): void;
}

/**
 * When the relay runs a cycle: on every wake-up (NOTIFY, the polling backstop, a recheck soon after),
 * one at a time, and after a backoff delay when a cycle failed. A wake-up arriving mid-cycle runs one
 * more cycle instead of being lost. `stop` lets the cycle in progress finish: the cycle itself checks
 * `stopping` between batches, so a shutdown ends after the batch being published, not in its middle.
 */
export class RelayWakeUp {
  private wanted = false;
  private cycle: Promise<void> | undefined;
  private poll: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private recheck: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly runCycle: () => Promise<void>,
    private readonly backoff: RetryBackoff,
    private readonly hooks: WakeUpHooks,
  ) {}

  get stopping(): boolean {
    return this.stopped;
  }

  /** Wakes now and then every `pollMs`. */
  start(pollMs: number): void {
    this.poll = setInterval(() => this.wake(), pollMs);
    this.wake();
  }

  wake(): void {
    this.wanted = true;
    if (this.cycle || this.retry || this.stopped) return;
    this.cycle = this.run().finally(() => (this.cycle = undefined));
  }

  /** Wakes again after `ms`, unless a recheck is already due. */
  soon(ms: number): void {
    this.recheck ??= setTimeout(() => {
      this.recheck = undefined;
      this.wake();
    }, ms);
  }

  /** No more cycles; resolves once the one in progress has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poll);
    clearTimeout(this.retry);
    clearTimeout(this.recheck);
    await this.cycle;
  }

  private async run(): Promise<void> {
    while (this.wanted && !this.stopped) {
      this.wanted = false;
      try {
        await this.runCycle();
        this.hooks.recovered(this.backoff.succeeded());
      } catch (error) {
        if (this.stopped) return;
        const delay = this.backoff.failed();
        this.hooks.failed(error, this.backoff.failures);
        this.retry = setTimeout(() => {
          this.retry = undefined;
          this.wake();
        }, delay);
        return;
      }
    }
  }
}
