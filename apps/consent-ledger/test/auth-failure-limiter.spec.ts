import { AuthFailureLimiter } from '../src/auth/auth-failure-limiter';

describe('AuthFailureLimiter', () => {
  it('refuses an address after its failures reach the limit, until its one-minute window ends', () => {
    let now = 1_000_000;
    const limiter = new AuthFailureLimiter(3, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterSeconds('198.51.100.1')).toBe(0);
      limiter.record('198.51.100.1');
    }
    expect(limiter.retryAfterSeconds('198.51.100.1')).toBe(60);
    expect(limiter.retryAfterSeconds('198.51.100.2')).toBe(0);
    now += 45_500;
    expect(limiter.retryAfterSeconds('198.51.100.1')).toBe(15);
    now += 14_500;
    expect(limiter.retryAfterSeconds('198.51.100.1')).toBe(0);
    limiter.record('198.51.100.1');
    expect(limiter.retryAfterSeconds('198.51.100.1')).toBe(0);
  });
});
