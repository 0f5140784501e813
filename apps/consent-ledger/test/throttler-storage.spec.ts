import { ThrottlerStorageService } from '@nestjs/throttler';
import { PrefixPruningThrottlerStorage } from '../src/http/throttler-storage';

/** Same answers as the library's storage, whatever the sequence of hits, waits and blocks. */
describe('PrefixPruningThrottlerStorage', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  // A small deterministic generator, so a failure replays.
  const random = (seed: number) => () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };

  it.each([
    { limit: 5, ttl: 1000, blockDuration: 1000 },
    { limit: 3, ttl: 1000, blockDuration: 2500 },
    { limit: 4, ttl: 2000, blockDuration: 0 },
    { limit: 50, ttl: 1000, blockDuration: 1000 },
  ])('answers like ThrottlerStorageService with %o', async ({ limit, ttl, blockDuration }) => {
    const next = random(limit * 7919 + ttl + blockDuration);
    const ours = new PrefixPruningThrottlerStorage();
    const library = new ThrottlerStorageService();
    for (let i = 0; i < 3000; i++) {
      const key = next() < 0.8 ? 'busy-key' : 'other-key';
      const [expected, actual] = [
        await library.increment(key, ttl, limit, blockDuration, 'default'),
        ours.hit(key, ttl, limit, blockDuration, 'default'),
      ];
      expect(actual).toEqual(expected);
      jest.advanceTimersByTime(Math.floor(next() * (next() < 0.05 ? 3000 : 120)));
    }
    ours.close();
    library.onApplicationShutdown();
  });
});
