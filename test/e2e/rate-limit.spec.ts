import { LedgerApp } from './ledger-app';

describe('rate limiting', () => {
  let ledger: LedgerApp;

  beforeAll(async () => {
    ledger = await LedgerApp.start({ RATE_LIMIT_PER_SECOND: '5' });
  });
  afterAll(() => ledger.close());

  it('answers 429 problem+json past the per-key limit', async () => {
    const responses = await Promise.all(Array.from({ length: 20 }, () => ledger.get('/v1/purposes')));
    const limited = responses.filter((r) => r.status === 429);
    // A burst may straddle two one-second windows: at most 2 x 5 get through.
    expect(responses.filter((r) => r.status === 200).length).toBeLessThanOrEqual(10);
    expect(limited.length).toBeGreaterThanOrEqual(10);
    expect(limited[0].headers.get('content-type')).toContain('application/problem+json');
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited[0].body).toMatchObject({ status: 429, type: 'urn:consent-ledger:problem:rate_limited' });
  });

  it('limits each route on its own, before reading the request', async () => {
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const checks = await Promise.all(Array.from({ length: 20 }, () => ledger.get('/v1/check?subjectId=u1&colour=blue')));
    // Refused requests were never validated: 429, not 400.
    expect(checks.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(10);
    expect(checks.filter((r) => r.status === 400).length).toBeLessThanOrEqual(10);
    // The purposes route's window is its own.
    expect((await ledger.get('/v1/purposes')).status).toBe(200);
  });
});
