/**
 * A background sweep on a timer: one run at a time (a tick while a run is going joins it), the timer
 * never keeps the process alive, and stop() waits for the run in progress. The schedulers that sweep
 * (expiry, retention) share it; each still decides what a run does and when to cut it short.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly run: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Every `intervalMs`; 0 never starts. */
  start(intervalMs: number): void {
    if (intervalMs === 0) return;
    this.timer = setInterval(() => void this.runNow(), intervalMs);
    this.timer.unref();
  }

  runNow(): Promise<void> {
    this.running ??= this.run()
      .then(() => undefined, this.onError)
      .finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
