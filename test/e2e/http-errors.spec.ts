import { LedgerApp } from './ledger-app';

const source = { channel: 'web' };

describe('HTTP errors are problem+json with their documented status', () => {
  let ledger: LedgerApp;

  beforeAll(async () => {
    ledger = await LedgerApp.start();
    await ledger.put('/v1/purposes/newsletter', { title: 'Newsletter', description: 'Weekly e-mail.', legalBasis: 'consent' });
  });
  afterAll(() => ledger.close());

  const expectProblem = (response: { status: number; headers: Headers; body: any }, status: number) => {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
  };

  it('400 for malformed JSON', async () => {
    expectProblem(await ledger.request('POST', '/v1/subjects/u1/events', { rawBody: '{"events": [' }), 400);
  });

  it('400 naming the field for unknown fields', async () => {
    const response = await ledger.post('/v1/subjects/u1/events', { events: [{ type: 'ConsentGranted', purpose: 'newsletter', colour: 'blue' }], source });
    expectProblem(response, 400);
    expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'events[0].colour' })]));
  });

  it('400 for a bad subjectId', async () => {
    const response = await ledger.post('/v1/subjects/bad%20id!/events', { events: [{ type: 'ConsentGranted', purpose: 'newsletter' }], source });
    expectProblem(response, 400);
    expect(response.body.errors[0].field).toBe('subjectId');
  });

  it.each([
    ['a bad subjectId', 'subjectId=bad%20id!&purpose=newsletter', [{ field: 'subjectId', message: 'subjectId must be 1-128 characters of [A-Za-z0-9._:@+-]' }]],
    ['a missing purpose', 'subjectId=u1', [{ field: 'purpose', message: 'purpose must match ^[a-z0-9][a-z0-9._-]{0,63}$' }]],
    ['an unknown field', 'subjectId=u1&purpose=newsletter&colour=blue', [{ field: 'colour', message: 'property colour should not exist' }]],
    ['a repeated field', 'subjectId=u1&subjectId=u2&purpose=newsletter', [{ field: 'subjectId', message: 'subjectId must be 1-128 characters of [A-Za-z0-9._:@+-]' }]],
    ['two bad fields', 'subjectId=&purpose=News', [
      { field: 'subjectId', message: 'subjectId must be 1-128 characters of [A-Za-z0-9._:@+-]' },
      { field: 'purpose', message: 'purpose must match ^[a-z0-9][a-z0-9._-]{0,63}$' },
    ]],
  ])('400 naming each field for GET /v1/check with %s', async (_, query, errors) => {
    const response = await ledger.get(`/v1/check?${query}`);
    expectProblem(response, 400);
    expect(response.body).toMatchObject({ type: 'urn:consent-ledger:problem:validation_failed', detail: 'the request has invalid fields' });
    expect(response.body.errors).toEqual(errors);
  });

  it('422 for an unknown purpose', async () => {
    expectProblem(await ledger.post('/v1/subjects/u1/events', { events: [{ type: 'ConsentGranted', purpose: 'nope' }], source }), 422);
  });

  it('400 for an occurredAt more than 5 minutes ahead', async () => {
    const occurredAt = new Date(Date.now() + 6 * 60_000).toISOString();
    const response = await ledger.post('/v1/subjects/u1/events', { events: [{ type: 'ConsentGranted', purpose: 'newsletter' }], source, occurredAt });
    expectProblem(response, 400);
    expect(response.body.errors[0].field).toBe('occurredAt');
  });

  it('400 for a bulk check over 10,000 ids', async () => {
    const subjectIds = Array.from({ length: 10_001 }, (_, i) => `s${i}`);
    const response = await ledger.post('/v1/check', { purpose: 'newsletter', subjectIds });
    expectProblem(response, 400);
    expect(response.body.errors).toEqual([{ field: 'subjectIds', message: 'subjectIds holds 1 to 10000 ids' }]);
  });

  it('400 naming the bad ids of a bulk check, at most 20 of them, and unknown fields', async () => {
    const subjectIds = ['ok-1', 'bad id', ...Array.from({ length: 30 }, (_, i) => `also bad ${i}`)];
    const response = await ledger.post('/v1/check', { purpose: 'newsletter', subjectIds, colour: 'blue' });
    expectProblem(response, 400);
    expect(response.body.errors).toHaveLength(20);
    expect(response.body.errors.slice(0, 2)).toEqual([
      { field: 'colour', message: 'property colour should not exist' },
      { field: 'subjectIds[1]', message: 'each subjectId must be 1-128 characters of [A-Za-z0-9._:@+-]' },
    ]);
    expectProblem(await ledger.post('/v1/check', { purpose: 'newsletter', subjectIds: [] }), 400);
    expectProblem(await ledger.post('/v1/check', { purpose: 'newsletter', subjectIds: 'u1' }), 400);
    expectProblem(await ledger.post('/v1/check', { subjectIds: ['u1'] }), 400);
  });

  it('413 for a body over the limit', async () => {
    expectProblem(await ledger.request('POST', '/v1/check', { rawBody: JSON.stringify({ purpose: 'newsletter', pad: 'x'.repeat(3 * 1024 * 1024) }) }), 413);
  });

  it('404 for an unknown purpose on GET', async () => {
    expectProblem(await ledger.get('/v1/purposes/unknown-purpose'), 404);
  });

  it('401 without a key or with an unknown key, 403 without the scope', async () => {
    expectProblem(await ledger.get('/v1/check?subjectId=u1&purpose=newsletter', null), 401);
    expectProblem(await ledger.get('/v1/check?subjectId=u1&purpose=newsletter', 'clk_unknown'), 401);
    const created = await ledger.post('/v1/api-keys', { name: 'cookie-banner', scopes: ['events:write'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'cookie-banner', scopes: ['events:write'], secret: expect.stringMatching(/^clk_/) });
    const banner = created.body.secret as string;
    expectProblem(await ledger.get('/v1/check?subjectId=u1&purpose=newsletter', banner), 403);
    // The scope comes before the check's schema: a key without consents:read learns nothing of the rules.
    expectProblem(await ledger.get('/v1/check?subjectId=bad!id&colour=blue', banner), 403);
    expectProblem(await ledger.request('POST', '/v1/check', { key: banner, body: { purpose: 'newsletter', subjectIds: [] } }), 403);
    const posted = await ledger.request('POST', '/v1/subjects/u1/events', { key: banner, body: { events: [{ type: 'ConsentGranted', purpose: 'newsletter' }], source } });
    expect(posted.status).toBe(201);
    expect((await ledger.get('/v1/purposes', banner)).status).toBe(200);
    expectProblem(await ledger.request('POST', '/v1/api-keys', { key: banner, body: { name: 'x', scopes: ['keys:admin'] } }), 403);
  });

  it('health, metrics and docs need no key', async () => {
    expect((await ledger.get('/health/live', null)).status).toBe(200);
    expect((await ledger.get('/health/ready', null)).body).toMatchObject({ status: 'ok' });
    const metrics = await fetch(`${ledger.baseUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('process_cpu_user_seconds_total');
    expect((await fetch(`${ledger.baseUrl}/docs`)).status).toBe(200);
  });
});
