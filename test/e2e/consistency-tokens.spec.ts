import { LedgerApp } from './ledger-app';

const grant = (ledger: LedgerApp, subjectId: string) =>
  ledger.post(`/v1/subjects/${subjectId}/events`, { events: [{ type: 'ConsentGranted', purpose: 'newsletter' }], source: { channel: 'web' } });

/**
 * Consistency tokens: a 201 gives the position of its last event, and a read on any instance that
 * sends it back answers from state at least that fresh. Both instances share one database.
 */
describe('consistency tokens', () => {
  let writer: LedgerApp;
  let reader: LedgerApp;

  beforeAll(async () => {
    writer = await LedgerApp.start();
    const purpose = { title: 'Newsletter', description: 'Our weekly newsletter by e-mail.', legalBasis: 'consent' };
    expect((await writer.put('/v1/purposes/newsletter', purpose)).status).toBe(201);
    reader = await LedgerApp.start({ DATABASE_URL: writer.databaseUrl });
  });
  afterAll(async () => {
    await reader?.close();
    await writer?.close();
  });

  it('gives the last event position as the Consent-Token header and the consentToken field of a 201, also on a replay', async () => {
    const body = { events: [{ type: 'ConsentGranted', purpose: 'newsletter' }, { type: 'ConsentWithdrawn', purpose: 'newsletter' }], source: { channel: 'web' } };
    const created = await writer.post('/v1/subjects/tokened/events', body, { 'idempotency-key': 'tokened-1' });

    expect(created.status).toBe(201);
    const last = created.body.events[1].position;
    expect(created.body.consentToken).toBe(String(last));
    expect(created.headers.get('consent-token')).toBe(String(last));
    const replayed = await writer.post('/v1/subjects/tokened/events', body, { 'idempotency-key': 'tokened-1' });
    expect(replayed.headers.get('consent-token')).toBe(String(last));
  });

  it('holds a check on another instance sent before the write it names until that write is committed', async () => {
    const before = await grant(writer, 'warm-up');
    // No other writer: the next grant's event takes the next position.
    const next = Number(before.body.consentToken) + 1;

    const check = reader.get(`/v1/check?subjectId=late-reader&purpose=newsletter&minPosition=${next}`);
    const written = await grant(writer, 'late-reader');

    expect(written.body.consentToken).toBe(String(next));
    expect((await check).body).toMatchObject({ allowed: true, status: 'granted' });
  });

  it('answers every read on another instance with a write made just before, given its token as a parameter or a header', async () => {
    const written = await grant(writer, 'reads-own');
    const token = written.body.consentToken as string;

    expect((await reader.get(`/v1/check?subjectId=reads-own&purpose=newsletter&minPosition=${token}`)).body).toMatchObject({ allowed: true });
    const byHeader = await reader.request('GET', '/v1/check?subjectId=reads-own&purpose=newsletter', { headers: { 'consent-token': token } });
    expect(byHeader.body).toMatchObject({ allowed: true });
    const bulk = await reader.request('POST', `/v1/check?minPosition=${token}`, { body: { purpose: 'newsletter', subjectIds: ['reads-own', 'nobody'] } });
    expect(bulk.body).toEqual({ purpose: 'newsletter', allowed: ['reads-own'], denied: ['nobody'] });
    expect((await reader.request('GET', '/v1/subjects/reads-own/consents', { headers: { 'consent-token': token } })).body.consents)
      .toEqual([expect.objectContaining({ purpose: 'newsletter', allowed: true })]);
    expect((await reader.get(`/v1/subjects/reads-own/consents/newsletter?minPosition=${token}`)).body).toMatchObject({ allowed: true });
  });

  it.each([
    ['GET /v1/check', '/v1/check?subjectId=a&purpose=newsletter&minPosition=abc', 'GET'],
    ['GET /v1/check (zero)', '/v1/check?subjectId=a&purpose=newsletter&minPosition=0', 'GET'],
    ['POST /v1/check', '/v1/check?minPosition=-4', 'POST'],
    ['GET consents', '/v1/subjects/a/consents?minPosition=1.5', 'GET'],
    ['GET consents/{purpose}', '/v1/subjects/a/consents/newsletter?minPosition=99999999999999999999', 'GET'],
  ])('answers 400 to a malformed token on %s', async (_, path, method) => {
    const response = await reader.request(method, path, method === 'POST' ? { body: { purpose: 'newsletter', subjectIds: ['a'] } } : {});

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'minPosition' })]);
  });

  it('answers 400 to a malformed Consent-Token header', async () => {
    const response = await reader.request('GET', '/v1/check?subjectId=a&purpose=newsletter', { headers: { 'consent-token': 'W/"12"' } });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'Consent-Token' })]);
  });

  it('answers 503 when the token names a position no committed event has, after waiting briefly', async () => {
    const response = await reader.get('/v1/check?subjectId=a&purpose=newsletter&minPosition=999999999999');

    expect(response.status).toBe(503);
    expect(response.body.type).toBe('urn:consent-ledger:problem:consent_token_not_visible');
  });
});
