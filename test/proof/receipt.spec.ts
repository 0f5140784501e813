import { calculateJwkThumbprint, compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import { withPgClient } from '@consent-ledger/runtime';
import { LedgerApp } from '../e2e/ledger-app';
import { startProofLedger } from './proof-fixture';

describe('consent receipts', () => {
  let ledger: LedgerApp;

  beforeAll(async () => {
    ledger = await startProofLedger({
      CONSENT_CONTROLLER_NAME: 'Exemple SAS',
      CONSENT_CONTROLLER_CONTACT: 'dpo@exemple.fr',
      CONSENT_CONTROLLER_POLICY_URL: 'https://exemple.fr/confidentialite',
    });
    expect((await ledger.put('/v1/purposes/fraud', { title: 'Fraude', description: 'Lutte contre la fraude', legalBasis: 'legitimate_interest' })).status).toBe(201);
  });
  afterAll(() => ledger.close());

  it('come with the 201 as a JWS that verifies with the public key served by the ledger', async () => {
    const posted = await ledger.post(
      '/v1/subjects/u-42/events',
      { events: [{ type: 'ConsentGranted', purpose: 'newsletter' }, { type: 'ObjectionRecorded', purpose: 'fraud' }], occurredAt: '2026-11-20T08:00:00Z', source: { channel: 'web', collectionPoint: 'signup' } },
      { 'idempotency-key': 'receipt-1' },
    );
    expect(posted.status).toBe(201);
    const jwks = (await ledger.get('/v1/ledger/public-key', null)).body;
    const header = decodeProtectedHeader(posted.body.receipt);
    expect(header).toMatchObject({ alg: 'EdDSA', kid: await calculateJwkThumbprint(jwks.keys[0]) });

    const { payload } = await compactVerify(posted.body.receipt, await importJWK(jwks.keys[0], 'EdDSA'));
    const receipt = JSON.parse(new TextDecoder().decode(payload));
    expect(receipt).toMatchObject({
      version: 'KI-CR-v1.1.0',
      jurisdiction: 'EU',
      consentTimestamp: Date.parse('2026-11-20T08:00:00Z') / 1000,
      collectionMethod: 'web: signup',
      consentReceiptID: posted.body.events[0].eventId,
      piiPrincipalId: 'u-42',
      piiControllers: [{ piiController: 'Exemple SAS', contact: 'dpo@exemple.fr', piiControllerUrl: 'https://exemple.fr/confidentialite' }],
      policyUrl: 'https://exemple.fr/confidentialite',
      services: [
        { service: 'newsletter', purposes: [{ purpose: 'newsletter', purposeVersion: 1, legalBasis: 'consent', consentType: 'ConsentGranted', termination: '2027-12-20T08:00:00.000Z' }] },
        { service: 'fraud', purposes: [{ purpose: 'fraud', purposeVersion: 1, legalBasis: 'legitimate_interest', consentType: 'ObjectionRecorded', termination: null }] },
      ],
      eventIds: posted.body.events.map((e: { eventId: string }) => e.eventId),
      streamVersion: 2,
    });

    const replay = await ledger.post(
      '/v1/subjects/u-42/events',
      { events: [{ type: 'ConsentGranted', purpose: 'newsletter' }, { type: 'ObjectionRecorded', purpose: 'fraud' }], occurredAt: '2026-11-20T08:00:00Z', source: { channel: 'web', collectionPoint: 'signup' } },
      { 'idempotency-key': 'receipt-1' },
    );
    expect(replay.body.receipt).toBe(posted.body.receipt);
    expect(posted.body.events.map((e: { expiresAt: string | null }) => e.expiresAt)).toEqual(['2027-12-20T08:00:00.000Z', null]);
  });

  it('are the same on the replay of a response saved before responses carried expiresAt', async () => {
    const body = { events: [{ type: 'ConsentGranted', purpose: 'newsletter' }], source: { channel: 'web' } };
    const posted = await ledger.post('/v1/subjects/u-45/events', body, { 'idempotency-key': 'receipt-legacy' });
    await withPgClient(ledger.databaseUrl, (client) => client.query(
      `UPDATE idempotency_keys SET response = jsonb_set(response, '{events,0}', (response->'events'->0) - 'expiresAt')`));
    const replay = await ledger.post('/v1/subjects/u-45/events', body, { 'idempotency-key': 'receipt-legacy' });
    expect(replay.body.events[0].expiresAt).toBeUndefined();
    expect(replay.body.receipt).toBe(posted.body.receipt);
  });

  it('does not verify once its payload is changed', async () => {
    const posted = await ledger.post('/v1/subjects/u-43/events', { events: [{ type: 'ConsentRefused', purpose: 'newsletter' }], source: { channel: 'app' } });
    const [header, payload, signature] = posted.body.receipt.split('.');
    const changed = Buffer.from(Buffer.from(payload, 'base64url').toString().replace('u-43', 'u-44')).toString('base64url');
    const key = await importJWK((await ledger.get('/v1/ledger/public-key', null)).body.keys[0], 'EdDSA');
    await expect(compactVerify(`${header}.${changed}.${signature}`, key)).rejects.toThrow(/signature verification failed/);
  });
});
