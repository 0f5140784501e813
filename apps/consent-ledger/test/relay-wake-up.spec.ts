import { RelayWakeUp } from '../src/relay/relay-wake-up';
import { RetryBackoff } from '../src/relay/retry-backoff';

/** A cycle the test finishes by hand, counting how often it ran. */
function heldCycles() {
  const pending: { finish(): void; fail(error: Error): void }[] = [];
  const run = () => new Promise<void>((resolve, reject) => pending.push({ finish: resolve, fail: reject }));
  return { run, pending };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('RelayWakeUp', () => {
  const hooks = () => ({ failed: jest.fn(), recovered: jest.fn() });

  it('runs one cycle at a time, and exactly one more for wake-ups that arrived during it', async () => {
    const { run, pending } = heldCycles();
    const wakeUp = new RelayWakeUp(run, new RetryBackoff(), hooks());
    wakeUp.wake();
    wakeUp.wake();
    wakeUp.wake();
    expect(pending).toHaveLength(1);
    pending[0].finish();
    await settle();
    expect(pending).toHaveLength(2);
    pending[1].finish();
    await settle();
    expect(pending).toHaveLength(2);
    await wakeUp.stop();
  });

  it('lets the cycle in progress finish on stop, and runs none after', async () => {
    const { run, pending } = heldCycles();
    const wakeUp = new RelayWakeUp(run, new RetryBackoff(), hooks());
    wakeUp.wake();
    let stopped = false;
    const stopping = wakeUp.stop().then(() => (stopped = true));
    expect(wakeUp.stopping).toBe(true);
    wakeUp.wake();
    await settle();
    expect(stopped).toBe(false);
    pending[0].finish();
    await stopping;
    wakeUp.wake();
    await settle();
    expect(pending).toHaveLength(1);
  });

  it('retries a failed cycle after the backoff delay, reporting each failure with its count, then the recovery', async () => {
    jest.useFakeTimers();
    try {
      const { run, pending } = heldCycles();
      const reported = hooks();
      const wakeUp = new RelayWakeUp(run, new RetryBackoff(100, 5_000), reported);
      wakeUp.wake();
      pending[0].fail(new Error('broker down'));
      await jest.advanceTimersByTimeAsync(0);
      expect(reported.failed).toHaveBeenCalledWith(expect.any(Error), 1);
      // A wake-up during the backoff does not cut it short.
      wakeUp.wake();
      await jest.advanceTimersByTimeAsync(99);
      expect(pending).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(pending).toHaveLength(2);
      pending[1].fail(new Error('still down'));
      await jest.advanceTimersByTimeAsync(199);
      expect(pending).toHaveLength(2);
      await jest.advanceTimersByTimeAsync(1);
      pending[2].finish();
      await jest.advanceTimersByTimeAsync(0);
      expect(reported.recovered).toHaveBeenLastCalledWith(2);
      await wakeUp.stop();
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('RetryBackoff', () => {
  it('doubles from the first delay up to the cap, and starts over after a success', () => {
    const backoff = new RetryBackoff(100, 1_000);
    expect([1, 2, 3, 4, 5, 6].map(() => backoff.failed())).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(backoff.succeeded()).toBe(6);
    expect(backoff.failed()).toBe(100);
  });
});
