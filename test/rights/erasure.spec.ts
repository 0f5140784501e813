import { sql } from '../relay/relay-fixture';
import { LedgerApp } from '../e2e/ledger-app';
import { erase, grant, personalProof, publishPurposes } from './rights-fixture';

describe('erasure by crypto-shredding over HTTP', () => {
  let ledger: LedgerApp;

  beforeAll(async () => {
    ledger = await LedgerApp.start();
    await publishPurposes(ledger);
  });
  afterAll(() => ledger.close());

  const dataKey = async (subjectId: string) =>
    (await sql<{ data_key: Buffer | null; erased_at: Date | null }>(ledger.databaseUrl, `SELECT data_key, erased_at FROM streams WHERE stream_id = 'subject:${subjectId}'`))[0];

  it('destroys the data key, appends SubjectErased once, reads [erased], and keeps the chain valid', async () => {
    const proof = personalProof('erase-me');
    expect((await grant(ledger, 'erase-me', ['newsletter', 'audience-measurement'], proof)).status).toBe(201);
    expect((await dataKey('erase-me'))!.data_key).toBeInstanceOf(Buffer);

    const first = await erase(ledger, 'erase-me', { reason: 'art17-request' });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      subjectId: 'erase-me',
      erasedAt: expect.any(String),
      reason: 'art17-request',
      eventId: expect.any(String),
      position: expect.any(Number),
      streamVersion: 3,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const key = await dataKey('erase-me');
    expect(key!.data_key).toBeNull();
    expect(key!.erased_at!.toISOString()).toBe(first.body.erasedAt);

    // A second call answers the first erasure and appends nothing.
    const second = await erase(ledger, 'erase-me', { reason: 'another-reason' });
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);

    const history = await ledger.get('/v1/subjects/erase-me/events');
    expect(history.body.events.map((e: { type: string }) => e.type)).toEqual(['ConsentGranted', 'ConsentGranted', 'SubjectErased']);
    for (const event of history.body.events.slice(0, 2)) {
      expect(event.proof).toEqual({ method: 'banner-accept-all', ip: '[erased]', userAgent: '[erased]', evidence: '[erased]' });
    }
    expect(JSON.stringify(history.body)).not.toContain(proof.ip);
    expect((await ledger.get('/v1/ledger/verify')).body).toMatchObject({ valid: true });
  });

  it('erases a subject it never saw, so that a first choice arriving after the erasure cannot make it readable', async () => {
    const response = await erase(ledger, 'never-seen');
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ subjectId: 'never-seen', reason: null, streamVersion: 1 });
    expect(await dataKey('never-seen')).toMatchObject({ data_key: null, erased_at: expect.any(Date) });
    // No body at all is the same as {}.
    const bare = await ledger.request('POST', '/v1/subjects/no-body/erasure');
    expect(bare.status).toBe(201);
    expect(bare.body).toMatchObject({ subjectId: 'no-body', reason: null });
  });

  it('vacuums the key table after an erasure', async () => {
    await grant(ledger, 'vacuumed', ['newsletter'], personalProof('vacuumed'));
    const before = await sql<{ vacuum_count: string }>(ledger.databaseUrl, `SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'streams'`);
    expect((await erase(ledger, 'vacuumed')).status).toBe(201);
    // The statistics collector reports with a delay of its own; the VACUUM itself has finished before the 201.
    await sql(ledger.databaseUrl, 'SELECT pg_stat_force_next_flush()');
    const after = await sql<{ vacuum_count: string }>(ledger.databaseUrl, `SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'streams'`);
    expect(Number(after[0]!.vacuum_count)).toBeGreaterThan(Number(before[0]!.vacuum_count));
  });

  it('validates and whitelists the body, and needs subjects:erase', async () => {
    expect((await erase(ledger, 'invalid', { reason: 'Alice Martin <alice@example.com>' })).status).toBe(400);
    const unknownField = await erase(ledger, 'invalid', { reason: 'ok', email: 'alice@example.com' });
    expect(unknownField.status).toBe(400);
    expect(unknownField.headers.get('content-type')).toContain('application/problem+json');
    expect((await erase(ledger, 'bad id!')).status).toBe(400);
    const { body: key } = await ledger.post('/v1/api-keys', { name: 'auditor', scopes: ['audit:read'] });
    expect((await erase(ledger, 'invalid', {}, key.secret)).status).toBe(403);
    expect((await erase(ledger, 'invalid', {}, null)).status).toBe(401);
    // Nothing was written for any refused call.
    expect(await sql(ledger.databaseUrl, `SELECT 1 FROM streams WHERE stream_id = 'subject:invalid'`)).toEqual([]);
  });
});
