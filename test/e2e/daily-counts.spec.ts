import { LedgerApp } from './ledger-app';
import { record, seal, startProofLedger, text } from '../proof/proof-fixture';

/** What the console's ledger page reads: events per day and type, and the checkpoint's age. */
describe('GET /v1/ledger/daily-counts and checkpoint Last-Modified', () => {
  let ledger: LedgerApp;

  beforeAll(async () => {
    ledger = await startProofLedger();
  });
  afterAll(() => ledger?.close());

  it('counts the subject events recorded per UTC day and type, for audit:read only', async () => {
    await record(ledger, 'ana', 'ConsentGranted');
    await record(ledger, 'ben', 'ConsentGranted');
    await record(ledger, 'ana', 'ConsentWithdrawn');

    const answer = await ledger.get('/v1/ledger/daily-counts?days=7');
    expect(answer.status).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    expect(answer.body.days).toBe(7);
    expect(answer.body.from).toBe(new Date(Date.parse(`${today}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10));
    // Purpose events (PurposePublished) are not subject events: not counted.
    expect(answer.body.counts).toEqual([
      { day: today, type: 'ConsentGranted', count: 2 },
      { day: today, type: 'ConsentWithdrawn', count: 1 },
    ]);

    expect((await ledger.get('/v1/ledger/daily-counts?days=0')).status).toBe(400);
    expect((await ledger.get('/v1/ledger/daily-counts?days=367')).status).toBe(400);
    const reader = await ledger.post('/v1/api-keys', { name: 'marketing', scopes: ['consents:read'] });
    expect((await ledger.get('/v1/ledger/daily-counts', reader.body.secret)).status).toBe(403);
  });

  it('dates each checkpoint with Last-Modified, when it was signed', async () => {
    const before = Date.now() - 1000;
    await seal(ledger);
    const response = await fetch(`${ledger.baseUrl}/v1/ledger/checkpoint`, { headers: { authorization: `Bearer ${ledger.adminKey}` } });
    const signedAt = Date.parse(response.headers.get('last-modified') ?? '');
    expect(signedAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(signedAt).toBeLessThanOrEqual(Date.now());
    expect((await text(ledger, '/v1/ledger/checkpoint')).body).toMatch(/^consent-ledger\.test\/proof\n\d+\n/);
  });
});
