import { SubjectStreamWriter } from '../../apps/consent-ledger/src/subjects/subject-stream-writer';
import { LedgerApp } from './ledger-app';

/**
 * SubjectErased is part of the state decisions and checks read: once a subject is erased, what rests
 * on its will (consent, legitimate interest) is not allowed, and nothing more is recorded for it.
 * The erasure is appended here through the write path (EraseSubject); the HTTP endpoint is the rights API's.
 */
describe('an erased subject', () => {
  let ledger: LedgerApp;

  beforeAll(async () => {
    ledger = await LedgerApp.start();
    const purposes = { newsletter: 'consent', offers: 'legitimate_interest', invoicing: 'contract' };
    for (const [id, legalBasis] of Object.entries(purposes)) {
      expect((await ledger.put(`/v1/purposes/${id}`, { title: id, description: id, legalBasis })).status).toBe(201);
    }
    expect((await ledger.post('/v1/subjects/erin/events', {
      events: [{ type: 'ConsentGranted', purpose: 'newsletter' }], source: { channel: 'web' },
    })).status).toBe(201);
    expect((await ledger.get('/v1/check?subjectId=erin&purpose=newsletter')).body.allowed).toBe(true);

    const erased = await ledger.app.get(SubjectStreamWriter).write({
      command: { type: 'EraseSubject', subjectId: 'erin' },
      metadata: { source: { channel: 'system', collectionPoint: 'test' } },
    });
    expect(erased.appended.map((event) => event.type)).toEqual(['SubjectErased']);
  });
  afterAll(() => ledger?.close());

  it.each([
    ['newsletter', false, 'subject_erased'],
    ['offers', false, 'subject_erased'],
    ['invoicing', true, 'contract'],
  ])('answers the single check for %s: allowed %s (%s)', async (purpose, allowed, reason) => {
    const { status, body } = await ledger.get(`/v1/check?subjectId=erin&purpose=${purpose}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ allowed, reason });
  });

  it('is denied in a bulk check and in its consents', async () => {
    const bulk = await ledger.post('/v1/check', { purpose: 'newsletter', subjectIds: ['erin', 'someone-else'] });
    expect(bulk.body).toEqual({ purpose: 'newsletter', allowed: [], denied: ['erin', 'someone-else'] });
    const { body } = await ledger.get('/v1/subjects/erin/consents');
    expect(body.streamVersion).toBe(2);
    expect(body.consents.find((c: { purpose: string }) => c.purpose === 'newsletter')).toMatchObject({ allowed: false, reason: 'subject_erased' });
  });

  it('refuses new choices with 422 subject_erased and writes nothing', async () => {
    const refused = await ledger.post('/v1/subjects/erin/events', {
      events: [{ type: 'ConsentGranted', purpose: 'newsletter' }], source: { channel: 'web' },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.type).toMatch(/subject_erased$/);
    expect((await ledger.get('/v1/subjects/erin/events')).body.events).toHaveLength(2);
  });
});
