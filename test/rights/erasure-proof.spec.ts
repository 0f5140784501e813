import { verifySubjectProof } from '@consent-ledger/ledger-store';
import { LedgerApp } from '../e2e/ledger-app';
import { seal, startProofLedger, text } from '../proof/proof-fixture';

/** Crypto-shredding keeps every proof verifiable: the hashes cover a salted digest, never the shredded fields. */
describe('erasure with the transparency log', () => {
  let ledger: LedgerApp;
  let vkey: string;

  beforeAll(async () => {
    ledger = await startProofLedger();
    vkey = (await text(ledger, '/v1/ledger/verifier-key', null)).body.trim();
  });
  afterAll(() => ledger?.close());

  it('leaves the proof verifiable offline, the chain and inclusion proofs intact, with personal fields read as [erased]', async () => {
    const posted = await ledger.post('/v1/subjects/erin/events', {
      events: [{ type: 'ConsentGranted', purpose: 'newsletter' }],
      source: { channel: 'web', collectionPoint: 'signup-form' },
      proof: { ip: '203.0.113.42', userAgent: 'Mozilla/5.0 (erin)', evidence: 'checkbox-ticked' },
    });
    expect(posted.status).toBe(201);
    await seal(ledger);
    const before = await ledger.get('/v1/subjects/erin/proof?purpose=newsletter');
    expect(verifySubjectProof(before.body, vkey).valid).toBe(true);

    expect((await ledger.post('/v1/subjects/erin/erasure', { reason: 'art17-request' })).status).toBe(201);
    await seal(ledger);

    const after = await ledger.get('/v1/subjects/erin/proof?purpose=newsletter');
    expect(after.status).toBe(200);
    expect(after.body.decision).toMatchObject({ allowed: false, reason: 'subject_erased' });
    const verdict = verifySubjectProof(after.body, vkey);
    expect(verdict.checks.filter((check) => !check.ok)).toEqual([]);
    expect(verdict.valid).toBe(true);
    // The granted event is still the one posted, still included under the new checkpoint.
    const grant = after.body.events.find((e: { eventId: string }) => e.eventId === posted.body.events[0].eventId);
    expect(grant.hash).toBe(posted.body.events[0].hash);
    expect(after.body.inclusion.map((i: { eventId: string }) => i.eventId)).toContain(grant.eventId);
    expect(JSON.stringify(after.body)).not.toMatch(/203\.0\.113\.42|Mozilla|checkbox-ticked/);

    const history = await ledger.get('/v1/subjects/erin/events');
    expect(history.body.events[0].proof).toMatchObject({ ip: '[erased]', userAgent: '[erased]', evidence: '[erased]' });
    expect((await ledger.get('/v1/ledger/verify')).body).toMatchObject({ valid: true });
  });
});
