import { withPgClient } from '@consent-ledger/runtime';
import { ExpiryScheduler } from '../../apps/consent-ledger/src/expiry/expiry-scheduler';
import { LedgerApp } from './ledger-app';

const newsletter = {
  title: { fr: 'Lettre d’information', en: 'Newsletter' },
  description: 'Envoi de notre lettre d’information hebdomadaire par e-mail.',
  legalBasis: 'consent',
};
const offers = {
  title: 'Offres pour des services similaires',
  description: 'Prospection par e-mail pour des services analogues à ceux déjà souscrits.',
  legalBasis: 'legitimate_interest',
};
const web = { channel: 'web', collectionPoint: 'preference-centre' };

describe('consent flows over HTTP', () => {
  let ledger: LedgerApp;

  beforeAll(async () => {
    ledger = await LedgerApp.start();
    expect((await ledger.put('/v1/purposes/newsletter', newsletter)).status).toBe(201);
    expect((await ledger.put('/v1/purposes/offers-similar-services', offers)).status).toBe(201);
  });
  afterAll(() => ledger.close());

  const record = (subjectId: string, events: unknown[], extra: Record<string, unknown> = {}, headers?: Record<string, string>) =>
    ledger.post(`/v1/subjects/${subjectId}/events`, { events, source: web, ...extra }, headers);
  const check = async (subjectId: string, purpose: string) =>
    (await ledger.get(`/v1/check?subjectId=${subjectId}&purpose=${purpose}`)).body;

  it('publishes purposes: 201 first, identical body is a no-op, a change is a new version', async () => {
    const same = await ledger.put('/v1/purposes/newsletter', newsletter);
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ purposeId: 'newsletter', version: 1, legalBasis: 'consent', validityDays: 395 });
    const list = await ledger.get('/v1/purposes');
    expect(list.body.purposes.map((p: { purposeId: string }) => p.purposeId).sort()).toEqual(['newsletter', 'offers-similar-services']);
  });

  it('grant, check allowed, withdraw, check denied', async () => {
    const granted = await record('alice', [{ type: 'ConsentGranted', purpose: 'newsletter' }], { proof: { ip: '203.0.113.7', userAgent: 'Firefox', method: 'checkbox' } });
    expect(granted.status).toBe(201);
    expect(granted.body).toMatchObject({ subjectId: 'alice', streamVersion: 1, events: [{ type: 'ConsentGranted', purpose: 'newsletter', purposeVersion: 1, streamVersion: 1 }] });
    expect(granted.body.events[0].hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await check('alice', 'newsletter')).toEqual({ subjectId: 'alice', purpose: 'newsletter', allowed: true, status: 'granted', reason: 'consent_granted' });

    expect((await record('alice', [{ type: 'ConsentWithdrawn', purpose: 'newsletter' }])).status).toBe(201);
    expect(await check('alice', 'newsletter')).toMatchObject({ allowed: false, status: 'withdrawn', reason: 'consent_withdrawn' });

    const history = await ledger.get('/v1/subjects/alice/events');
    expect(history.body.events.map((e: { type: string }) => e.type)).toEqual(['ConsentGranted', 'ConsentWithdrawn']);
    expect(history.body.events[0].proof).toEqual({ method: 'checkbox', ip: '203.0.113.7', userAgent: 'Firefox' });
    expect(history.body.events[1].prevHash).toBe(history.body.events[0].hash);
  });

  it('records a refusal', async () => {
    expect((await record('bob', [{ type: 'ConsentRefused', purpose: 'newsletter' }])).status).toBe(201);
    expect(await check('bob', 'newsletter')).toMatchObject({ allowed: false, status: 'refused' });
  });

  it('objection on a legitimate-interest purpose denies until lifted', async () => {
    expect(await check('carol', 'offers-similar-services')).toMatchObject({ allowed: true, status: 'none', reason: 'legitimate_interest' });
    expect((await record('carol', [{ type: 'ObjectionRecorded', purpose: 'offers-similar-services' }])).status).toBe(201);
    expect(await check('carol', 'offers-similar-services')).toMatchObject({ allowed: false, status: 'objected' });
    expect((await record('carol', [{ type: 'ObjectionLifted', purpose: 'offers-similar-services' }])).status).toBe(201);
    expect(await check('carol', 'offers-similar-services')).toMatchObject({ allowed: true });
  });

  it('answers the state at a past instant with ?at=', async () => {
    const t0 = Date.now() - 60 * 60_000;
    const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
    await record('dave', [{ type: 'ConsentGranted', purpose: 'newsletter' }], { occurredAt: at(0) });
    await record('dave', [{ type: 'ConsentWithdrawn', purpose: 'newsletter' }], { occurredAt: at(30) });
    const entry = async (instant: string) =>
      (await ledger.get(`/v1/subjects/dave/consents/newsletter?at=${encodeURIComponent(instant)}`)).body;
    expect(await entry(at(-1))).toMatchObject({ status: 'none', allowed: false });
    expect(await entry(at(10))).toMatchObject({ status: 'granted', allowed: true, asOf: at(10) });
    expect(await entry(at(40))).toMatchObject({ status: 'withdrawn', allowed: false });
    // An old grant imported late never overrides the later withdrawal.
    await record('dave', [{ type: 'ConsentGranted', purpose: 'newsletter' }], { occurredAt: at(20) });
    expect(await check('dave', 'newsletter')).toMatchObject({ status: 'withdrawn', allowed: false });
    // The state at a past instant folds the whole stream (later events counted, not applied): after
    // the late import, the answer is computed from version 3, and the late grant keeps its own place.
    expect(await entry(at(25))).toMatchObject({ status: 'granted', allowed: true, since: at(20), streamVersion: 3 });
    expect(await entry(at(10))).toMatchObject({ status: 'granted', since: at(0), streamVersion: 3 });
    const all = await ledger.get('/v1/subjects/dave/consents');
    expect(all.body.streamVersion).toBe(3);
    expect(all.body.consents.map((c: { purpose: string }) => c.purpose).sort()).toEqual(['newsletter', 'offers-similar-services']);
  });

  it('expires a grant after validityDays', async () => {
    await ledger.put('/v1/purposes/audience-measurement', { title: 'Mesure d’audience', description: 'Cookies de mesure d’audience.', legalBasis: 'consent', validityDays: 30 });
    const occurredAt = new Date(Date.now() - 31 * 86_400_000).toISOString();
    await record('erin', [{ type: 'ConsentGranted', purpose: 'audience-measurement' }], { occurredAt });
    expect(await check('erin', 'audience-measurement')).toMatchObject({ allowed: false, status: 'expired', reason: 'consent_expired' });
    const recent = new Date(Date.now() - 29 * 86_400_000).toISOString();
    await record('frank', [{ type: 'ConsentGranted', purpose: 'audience-measurement' }], { occurredAt: recent });
    expect(await check('frank', 'audience-measurement')).toMatchObject({ allowed: true, status: 'granted' });

    // One instance sweeps at a time: while another session holds the scheduler's lock, this one skips.
    const scheduler = ledger.app.get(ExpiryScheduler);
    await withPgClient(ledger.databaseUrl, async (other) => {
      await other.query(`SELECT pg_advisory_lock(hashtextextended('consent-ledger.expiry-scheduler', 0))`);
      expect(await scheduler.expireDue()).toBe(0);
    });
    // The scheduler writes ConsentExpired so that subscribers are told; a second sweep adds nothing.
    expect(await scheduler.expireDue()).toBe(1);
    expect(await scheduler.expireDue()).toBe(0);
    const history = (await ledger.get('/v1/subjects/erin/events')).body.events;
    expect(history.map((e: { type: string }) => e.type)).toEqual(['ConsentGranted', 'ConsentExpired']);
    expect(history[1].occurredAt).toBe(history[0].expiresAt);
    expect(await check('erin', 'audience-measurement')).toMatchObject({ allowed: false, status: 'expired' });
  });

  it('a material change requires re-consent, and the re-grant restores it', async () => {
    const purpose = { title: 'Partage réseaux sociaux', description: 'Boutons de partage.', legalBasis: 'consent' };
    await ledger.put('/v1/purposes/social-sharing', purpose);
    await record('gina', [{ type: 'ConsentGranted', purpose: 'social-sharing' }]);
    const v2 = await ledger.put('/v1/purposes/social-sharing', { ...purpose, description: 'Boutons de partage et suivi publicitaire.', materialChange: true });
    expect(v2.status).toBe(200);
    expect(v2.body).toMatchObject({ version: 2, materialChange: true });
    const entry = (await ledger.get('/v1/subjects/gina/consents/social-sharing')).body;
    expect(entry).toMatchObject({ status: 'granted', purposeVersion: 1, currentPurposeVersion: 2, reconsentRequired: true, allowed: false });
    await record('gina', [{ type: 'ConsentGranted', purpose: 'social-sharing' }]);
    expect((await ledger.get('/v1/subjects/gina/consents/social-sharing')).body).toMatchObject({ purposeVersion: 2, reconsentRequired: false, allowed: true });
    expect((await ledger.get('/v1/purposes/social-sharing')).body.versions).toHaveLength(2);
  });

  it('appends nothing from a batch holding one invalid event', async () => {
    const response = await record('hugo', [
      { type: 'ConsentGranted', purpose: 'newsletter' },
      { type: 'ConsentGranted', purpose: 'no-such-purpose' },
    ]);
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status: 422, errors: [{ field: 'events[1].purpose' }] });
    expect((await ledger.get('/v1/subjects/hugo/events')).body.events).toEqual([]);
    expect(await check('hugo', 'newsletter')).toMatchObject({ status: 'none' });
  });

  it('replays an Idempotency-Key without appending, and refuses it for another body', async () => {
    // Callers put personal data in their keys: the table keeps only the key's digest.
    const headers = { 'idempotency-key': 'signup-ines@example.com' };
    const first = await record('ines', [{ type: 'ConsentGranted', purpose: 'newsletter' }], {}, headers);
    const replay = await record('ines', [{ type: 'ConsentGranted', purpose: 'newsletter' }], {}, headers);
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect((await ledger.get('/v1/subjects/ines/events')).body.events).toHaveLength(1);
    const other = await record('ines', [{ type: 'ConsentRefused', purpose: 'newsletter' }], {}, headers);
    expect(other.status).toBe(422);
    const stored = await withPgClient(ledger.databaseUrl, async (client) => (await client.query('SELECT key FROM idempotency_keys')).rows);
    expect(stored.length).toBeGreaterThan(0);
    expect(JSON.stringify(stored)).not.toContain('ines@example.com');
  });

  it('refuses an If-Match mismatch with 409 and accepts the right version', async () => {
    await record('jules', [{ type: 'ConsentGranted', purpose: 'newsletter' }]);
    const stale = await record('jules', [{ type: 'ConsentWithdrawn', purpose: 'newsletter' }], {}, { 'if-match': '"0"' });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ status: 409, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
    const fresh = await record('jules', [{ type: 'ConsentWithdrawn', purpose: 'newsletter' }], {}, { 'if-match': '"1"' });
    expect(fresh.status).toBe(201);
    expect(fresh.body.streamVersion).toBe(2);
  });

  it('serializes concurrent posts for one subject without refusing any', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => record('kim', [{ type: i % 2 ? 'ConsentWithdrawn' : 'ConsentGranted', purpose: 'newsletter' }])),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(responses.map((r) => r.body.streamVersion).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('retired purposes refuse grants but accept withdrawals', async () => {
    await ledger.put('/v1/purposes/partner-ads', { title: 'Publicité partenaires', description: 'Cookies publicitaires.', legalBasis: 'consent' });
    await record('lea', [{ type: 'ConsentGranted', purpose: 'partner-ads' }]);
    expect((await ledger.request('DELETE', '/v1/purposes/partner-ads')).status).toBe(200);
    expect((await record('lea', [{ type: 'ConsentGranted', purpose: 'partner-ads' }])).status).toBe(422);
    expect((await record('lea', [{ type: 'ConsentWithdrawn', purpose: 'partner-ads' }])).status).toBe(201);
  });

  it('rejects consent events on a legitimate-interest purpose', async () => {
    const response = await record('max', [{ type: 'ConsentGranted', purpose: 'offers-similar-services' }]);
    expect(response.status).toBe(422);
    expect(response.body.type).toContain('event_not_allowed_for_legal_basis');
  });

  it('bulk-checks a send list', async () => {
    await record('nina', [{ type: 'ConsentGranted', purpose: 'newsletter' }]);
    const response = await ledger.post('/v1/check', { purpose: 'newsletter', subjectIds: ['nina', 'alice', 'nobody', 'nina'] });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ purpose: 'newsletter', allowed: ['nina'], denied: ['alice', 'nobody'] });
  });

  it('feeds events in commit order and verifies the chain', async () => {
    const first = await ledger.get('/v1/events?limit=5');
    expect(first.status).toBe(200);
    expect(first.body.events.length).toBeGreaterThan(0);
    expect(first.body.events[0]).not.toHaveProperty('proof');
    const second = await ledger.get(`/v1/events?after=${first.body.next}&limit=1000`);
    const positions = [...first.body.events, ...second.body.events].map((e: { position: number }) => e.position);
    expect(new Set(positions).size).toBe(positions.length);
    const verify = await ledger.get('/v1/ledger/verify');
    expect(verify.body).toMatchObject({ valid: true });
    expect(verify.body.events).toBeGreaterThan(20);
  });
});
