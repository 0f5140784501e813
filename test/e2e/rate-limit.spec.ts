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
    expect(limited[0].body).toMatchObject({ status: 429, type: 'urn:consent-ledger:problem:rate_limited' });
  });
});
