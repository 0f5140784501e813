import { LedgerApp } from './ledger-app';

const purpose = (title: string) => ({ title, description: 'Our weekly newsletter by e-mail.', legalBasis: 'consent' });
const grant = (ledger: LedgerApp, subjectId: string, purposeId: string) =>
  ledger.post(`/v1/subjects/${subjectId}/events`, { events: [{ type: 'ConsentGranted', purpose: purposeId }], source: { channel: 'web' } });

/**
 * Each instance caches the purpose catalog for a few seconds; a write must not decide on that cache.
 * Both instances here share one database, and the second has already loaded the purposes when the
 * first changes them.
 */
describe('purpose changes reach writes on another instance at once', () => {
  let first: LedgerApp;
  let second: LedgerApp;

  beforeAll(async () => {
    first = await LedgerApp.start();
    for (const id of ['retired-news', 'changed-news', 'checked-news']) expect((await first.put(`/v1/purposes/${id}`, purpose('v1'))).status).toBe(201);
    second = await LedgerApp.start({ DATABASE_URL: first.databaseUrl });
    expect((await second.get('/v1/purposes/retired-news')).body.retiredAt).toBeNull();
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('refuses a grant on the second instance right after the first retired the purpose', async () => {
    expect((await first.request('DELETE', '/v1/purposes/retired-news')).status).toBe(200);

    const refused = await grant(second, 'alice', 'retired-news');

    expect(refused.status).toBe(422);
    expect(refused.body.type).toMatch(/purpose_retired$/);
    expect((await second.get('/v1/subjects/alice/events')).body.events).toEqual([]);
  });

  it('records a grant on the second instance against the version the first just published as a material change', async () => {
    expect((await first.put('/v1/purposes/changed-news', { ...purpose('v2'), materialChange: true })).status).toBe(200);

    const granted = await grant(second, 'bob', 'changed-news');

    expect(granted.status).toBe(201);
    expect(granted.body.events[0].purposeVersion).toBe(2);
    const { body } = await first.get('/v1/subjects/bob/consents/changed-news');
    expect(body).toMatchObject({ allowed: true, purposeVersion: 2, reconsentRequired: false });
  });

  it('answers checks on the second instance with a retirement and a material change made on the first at once', async () => {
    expect((await grant(second, 'carol', 'checked-news')).status).toBe(201);
    expect((await second.get('/v1/check?subjectId=carol&purpose=checked-news')).body).toMatchObject({ allowed: true });

    expect((await first.put('/v1/purposes/checked-news', { ...purpose('v2'), materialChange: true })).status).toBe(200);
    expect((await second.get('/v1/check?subjectId=carol&purpose=checked-news')).body)
      .toMatchObject({ allowed: false, reason: 'reconsent_required' });
    expect((await second.post('/v1/check', { purpose: 'checked-news', subjectIds: ['carol'] })).body).toMatchObject({ denied: ['carol'] });

    expect((await first.request('DELETE', '/v1/purposes/checked-news')).status).toBe(200);
    expect((await second.get('/v1/check?subjectId=carol&purpose=checked-news')).body)
      .toMatchObject({ allowed: false, reason: 'purpose_retired' });
  });

  it("checks and lists on the second instance with the purposes the first just created or retired", async () => {
    expect((await first.put('/v1/purposes/fresh-news', purpose('v1'))).status).toBe(201);
    expect((await second.get('/v1/check?subjectId=dan&purpose=fresh-news')).body).toMatchObject({ allowed: false, reason: 'no_consent' });
    expect((await first.request('DELETE', '/v1/purposes/retired-news')).status).toBe(200);

    const listed = (await second.get('/v1/subjects/dan/consents')).body.consents as { purpose: string; reason: string }[];
    expect(listed.find((c) => c.purpose === 'fresh-news')).toMatchObject({ status: 'none', reason: 'no_consent' });
    expect(listed.find((c) => c.purpose === 'retired-news')).toMatchObject({ reason: 'purpose_retired' });
    expect((await second.get('/v1/subjects/dan/consents/fresh-news')).status).toBe(200);
    expect((await second.get('/v1/purposes/fresh-news')).status).toBe(200);
    expect((await second.get('/v1/purposes')).body.purposes.find((p: { purposeId: string }) => p.purposeId === 'retired-news'))
      .toMatchObject({ retiredAt: expect.any(String) });
  });
});
