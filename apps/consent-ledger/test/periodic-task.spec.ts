import { PeriodicTask } from '../src/infrastructure/periodic-task';

describe('PeriodicTask', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs every interval, one run at a time, and stop() waits for the run in progress', async () => {
    let finish: () => void = () => undefined;
    let runs = 0;
    const task = new PeriodicTask(() => {
      runs += 1;
      return new Promise<void>((resolve) => (finish = resolve));
    }, () => undefined);
    task.start(1000);
    jest.advanceTimersByTime(1000);
    expect(runs).toBe(1);
    // A tick while the run is going joins it instead of starting a second one.
    jest.advanceTimersByTime(1000);
    expect(runs).toBe(1);

    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(stopped).toBe(true);
    jest.advanceTimersByTime(5000);
    expect(runs).toBe(1);
  });

  it('never starts with an interval of 0, and hands a failed run to onError', async () => {
    const errors: unknown[] = [];
    const task = new PeriodicTask(() => Promise.reject(new Error('down')), (error) => errors.push(error));
    task.start(0);
    jest.advanceTimersByTime(60_000);
    expect(errors).toEqual([]);
    await task.runNow();
    expect(errors).toEqual([new Error('down')]);
  });
});
