import { verifySubjectProof } from '@consent-ledger/ledger-store';
import {
  formatVerifierKey, generateSeed, openNote, parseCheckpoint, parseVerifierKey, signerFromSeed, verifyConsistency,
} from '@consent-ledger/transparency-log';
import { importJWK } from 'jose';
import { LedgerApp } from '../e2e/ledger-app';
import { record, seal, startProofLedger, text } from './proof-fixture';

describe('checkpoints, consistency and proof over HTTP', () => {
  let ledger: LedgerApp;
  let vkey: string;
  let auditorKey: string;

  beforeAll(async () => {
    ledger = await startProofLedger();
    const keys = await ledger.post('/v1/api-keys', { name: 'auditor', scopes: ['audit:read'] });
    auditorKey = keys.body.secret;
  });
  afterAll(() => ledger.close());

  it('serves the keys publicly: a vkey for the origin and the same key as a JWK set', async () => {
    const served = await text(ledger, '/v1/ledger/verifier-key', null);
    expect(served.status).toBe(200);
    vkey = served.body.trim();
    expect(parseVerifierKey(vkey).name).toBe('consent-ledger.test/proof');
    const jwks = await ledger.get('/v1/ledger/public-key', null);
    expect(jwks.body.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
    expect(Buffer.from(jwks.body.keys[0].x, 'base64url').equals(parseVerifierKey(vkey).publicKey)).toBe(true);
    await importJWK(jwks.body.keys[0], 'EdDSA');
  });

  it('signs checkpoints as C2SP notes, serves them by size, and proves them consistent', async () => {
    await seal(ledger);
    const first = await text(ledger, '/v1/ledger/checkpoint', auditorKey);
    expect(first.status).toBe(200);
    expect(first.type).toBe('text/plain; charset=utf-8');
    const before = parseCheckpoint(openNote(first.body, [parseVerifierKey(vkey)]));
    expect(before.size).toBe(1); // the purpose's PurposePublished

    for (const subject of ['ana', 'ben', 'chloe']) expect((await record(ledger, subject, 'ConsentGranted')).status).toBe(201);
    await seal(ledger);
    const second = await text(ledger, '/v1/ledger/checkpoint', auditorKey);
    const after = parseCheckpoint(openNote(second.body, [parseVerifierKey(vkey)]));
    expect(after.size).toBe(4);
    expect((await text(ledger, `/v1/ledger/checkpoints/${before.size}`, auditorKey)).body).toBe(first.body);

    const consistency = await ledger.get(`/v1/ledger/consistency?from=${before.size}&to=${after.size}`, auditorKey);
    expect(consistency.status).toBe(200);
    expect(consistency.body).toMatchObject({ from: 1, to: 4 });
    const proof = consistency.body.proof.map((h: string) => Buffer.from(h, 'base64'));
    expect(verifyConsistency(before.size, after.size, before.rootHash, after.rootHash, proof)).toBe(true);
  });

  it('answers bad sizes and unknown checkpoints with problems, and requires audit:read', async () => {
    expect((await text(ledger, '/v1/ledger/checkpoints/99', auditorKey)).status).toBe(404);
    expect((await text(ledger, '/v1/ledger/checkpoints/01', auditorKey)).status).toBe(400);
    const bad = await ledger.get('/v1/ledger/consistency?from=3&to=2', auditorKey);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect((await ledger.get('/v1/ledger/consistency?from=1&to=999', auditorKey)).status).toBe(400);
    expect((await ledger.get('/v1/ledger/consistency?from=x&to=2', auditorKey)).status).toBe(400);
    const writer = await ledger.post('/v1/api-keys', { name: 'frontend', scopes: ['events:write'] });
    expect((await text(ledger, '/v1/ledger/checkpoint', writer.body.secret)).status).toBe(403);
    expect((await text(ledger, '/v1/ledger/checkpoint', null)).status).toBe(401);
  });

  it('proves the decision at an instant with the events, the purpose text and inclusion in the signed checkpoint', async () => {
    const granted = await record(ledger, 'dora', 'ConsentGranted', '2026-01-10T09:00:00.000Z');
    await record(ledger, 'dora', 'ConsentWithdrawn', '2026-03-01T09:00:00.000Z');
    await seal(ledger);

    const inJanuary = await ledger.get('/v1/subjects/dora/proof?purpose=newsletter&at=2026-02-01T00:00:00.000Z', auditorKey);
    expect(inJanuary.status).toBe(200);
    expect(inJanuary.body).toMatchObject({
      subjectId: 'dora', purpose: 'newsletter', at: '2026-02-01T00:00:00.000Z',
      decision: { allowed: true, status: 'granted', legalBasis: 'consent', reason: 'consent_granted' },
      purposeVersion: { version: 1, title: { en: 'Newsletter' }, legalBasis: 'consent', validityDays: 395 },
    });
    expect(inJanuary.body.events.map((e: { type: string }) => e.type)).toEqual(['PurposePublished', 'ConsentGranted', 'ConsentWithdrawn']);
    expect(inJanuary.body.events[1].eventId).toBe(granted.body.events[0].eventId);
    expect(inJanuary.body.inclusion).toHaveLength(3);
    expect(inJanuary.body.inclusion[0].tlogProof).toMatch(/^c2sp\.org\/tlog-proof@v1\nindex \d+\n/);
    expect(verifySubjectProof(inJanuary.body, vkey)).toMatchObject({ valid: true });

    const now = await ledger.get('/v1/subjects/dora/proof?purpose=newsletter', auditorKey);
    expect(now.body.decision).toEqual({ allowed: false, status: 'withdrawn', legalBasis: 'consent', reason: 'consent_withdrawn' });
    expect(verifySubjectProof(now.body, vkey).valid).toBe(true);

    const lying = { ...inJanuary.body, decision: { ...inJanuary.body.decision, allowed: false } };
    expect(verifySubjectProof(lying, vkey).checks.find((c) => c.check === 'decision')).toMatchObject({ ok: false });
    const stranger = formatVerifierKey(signerFromSeed('consent-ledger.test/proof', generateSeed()));
    expect(verifySubjectProof(inJanuary.body, stranger).valid).toBe(false);
  });

  it('lists an event not sealed yet without inclusion, and such a proof does not verify until the next checkpoint', async () => {
    await record(ledger, 'dora', 'ConsentGranted');
    const early = await ledger.get('/v1/subjects/dora/proof?purpose=newsletter', auditorKey);
    expect(early.body.events).toHaveLength(4);
    expect(early.body.inclusion).toHaveLength(3);
    expect(verifySubjectProof(early.body, vkey).valid).toBe(false);
    await seal(ledger);
    const sealed = await ledger.get('/v1/subjects/dora/proof?purpose=newsletter', auditorKey);
    expect(sealed.body.inclusion).toHaveLength(4);
    expect(verifySubjectProof(sealed.body, vkey).valid).toBe(true);
  });

  it('answers an unknown subject or purpose with 404 and bad parameters with 400', async () => {
    expect((await ledger.get('/v1/subjects/nobody/proof?purpose=newsletter', auditorKey)).status).toBe(404);
    expect((await ledger.get('/v1/subjects/dora/proof?purpose=unknown', auditorKey)).status).toBe(404);
    expect((await ledger.get('/v1/subjects/dora/proof', auditorKey)).status).toBe(400);
    expect((await ledger.get('/v1/subjects/dora/proof?purpose=newsletter&at=yesterday', auditorKey)).status).toBe(400);
  });
});

describe('the sealer on its timer, with the default origin', () => {
  it('names the log after the database system identifier and seals new events within an interval or two', async () => {
    const ledger = await LedgerApp.start({ CHECKPOINT_INTERVAL_MS: '20' });
    try {
      const vkey = parseVerifierKey((await text(ledger, '/v1/ledger/verifier-key', null)).body);
      expect(vkey.name).toMatch(/^consent-ledger\.local\/\d+$/);
      expect((await ledger.put('/v1/purposes/newsletter', { title: 'N', description: 'D', legalBasis: 'consent' })).status).toBe(201);
      let size = 0;
      for (let attempt = 0; attempt < 500 && size < 1; attempt += 1) {
        const served = await text(ledger, '/v1/ledger/checkpoint');
        if (served.status === 200) size = parseCheckpoint(openNote(served.body, [vkey])).size;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(size).toBe(1);
    } finally {
      await ledger.close();
    }
  });
});
