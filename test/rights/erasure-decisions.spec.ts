import { LedgerApp } from '../e2e/ledger-app';
import { erase, grant, personalProof, publishPurposes, web } from './rights-fixture';

/** What decisions read after an erasure (DESIGN "GDPR rights over the record"). */
describe('decisions after erasure', () => {
  let ledger: LedgerApp;

  beforeAll(async () => {
    ledger = await LedgerApp.start();
    await publishPurposes(ledger);
    expect((await grant(ledger, 'decided', ['newsletter'], personalProof('decided'))).status).toBe(201);
    expect((await grant(ledger, 'bystander', ['newsletter'], personalProof('bystander'))).status).toBe(201);
    expect((await erase(ledger, 'decided')).status).toBe(201);
  });
  afterAll(() => ledger.close());

  const check = async (subjectId: string, purpose: string) => (await ledger.get(`/v1/check?subjectId=${subjectId}&purpose=${purpose}`)).body;

  it('denies what rests on consent or legitimate interest, with reason subject_erased', async () => {
    expect(await check('decided', 'newsletter')).toMatchObject({ allowed: false, reason: 'subject_erased' });
    expect(await check('decided', 'offers-similar-services')).toMatchObject({ allowed: false, reason: 'subject_erased' });
    // A contract can still require processing.
    expect(await check('decided', 'account-management')).toMatchObject({ allowed: true });
    expect(await check('bystander', 'newsletter')).toMatchObject({ allowed: true });
    const bulk = await ledger.post('/v1/check', { purpose: 'newsletter', subjectIds: ['decided', 'bystander'] });
    expect(bulk.body).toEqual({ purpose: 'newsletter', allowed: ['bystander'], denied: ['decided'] });
    // Erasure is read for every id asked, not only for those with a decision for the purpose.
    const undecided = await ledger.post('/v1/check', { purpose: 'offers-similar-services', subjectIds: ['decided', 'bystander'] });
    expect(undecided.body).toEqual({ purpose: 'offers-similar-services', allowed: ['bystander'], denied: ['decided'] });
    const consents = await ledger.get('/v1/subjects/decided/consents');
    expect(consents.body.consents.find((c: { purpose: string }) => c.purpose === 'newsletter')).toMatchObject({ allowed: false, reason: 'subject_erased' });
  });

  it('refuses new choices with 422 subject_erased and writes nothing', async () => {
    const refused = await ledger.post('/v1/subjects/decided/events', { events: [{ type: 'ConsentGranted', purpose: 'newsletter' }], source: web, proof: personalProof('again') });
    expect(refused.status).toBe(422);
    expect(refused.body.type).toBe('urn:consent-ledger:problem:subject_erased');
    const history = await ledger.get('/v1/subjects/decided/events');
    expect(history.body.events.map((e: { type: string }) => e.type)).toEqual(['ConsentGranted', 'SubjectErased']);
  });
});
