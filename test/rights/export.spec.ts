import { SubjectStreamWriter } from '../../apps/consent-ledger/src/subjects/subject-stream-writer';
import { LedgerApp } from '../e2e/ledger-app';
import { erase, publishPurposes, web } from './rights-fixture';

const CONTROLLER = { CONSENT_CONTROLLER_NAME: 'Exemple SAS', CONSENT_CONTROLLER_CONTACT: 'dpo@exemple.fr', CONSENT_CONTROLLER_POLICY_URL: 'https://exemple.fr/confidentialite' };

describe('access and portability export', () => {
  let ledger: LedgerApp;

  beforeAll(async () => {
    ledger = await LedgerApp.start(CONTROLLER);
    await publishPurposes(ledger);
  });
  afterAll(() => ledger.close());

  const exportOf = async (subjectId: string, format?: string) => {
    const response = await fetch(`${ledger.baseUrl}/v1/subjects/${subjectId}/export${format ? `?format=${format}` : ''}`, {
      headers: { authorization: `Bearer ${ledger.adminKey}` },
    });
    return { status: response.status, contentType: response.headers.get('content-type'), body: JSON.parse(await response.text()) };
  };

  /** What the subject posted, batch by batch. */
  const posted = [
    {
      events: [{ type: 'ConsentGranted', purpose: 'newsletter' }, { type: 'ConsentRefused', purpose: 'audience-measurement' }],
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
      source: web,
      proof: { ip: '2001:db8::7', userAgent: 'Mozilla/5.0 (Android 15) Export/1', method: 'banner-custom', evidence: { form: 'v3', checked: ['newsletter'] } },
    },
    {
      events: [{ type: 'ObjectionRecorded', purpose: 'offers-similar-services', purposeVersion: 1 }],
      source: { channel: 'email', collectionPoint: 'unsubscribe-link' },
      proof: { ip: '192.0.2.44', userAgent: 'Thunderbird/128', evidence: 'link-token-0042' },
    },
    { events: [{ type: 'ConsentWithdrawn', purpose: 'newsletter' }], source: { channel: 'call-centre' } },
  ];

  it('returns what the subject posted, field for field, with the state and the purpose texts', async () => {
    const written: { eventId: string; hash: string }[] = [];
    for (const body of posted) {
      const response = await ledger.post('/v1/subjects/exported/events', body);
      expect(response.status).toBe(201);
      written.push(...response.body.events);
    }
    const { status, contentType, body } = await exportOf('exported');
    expect(status).toBe(200);
    expect(contentType).toContain('application/json');
    expect(body).toMatchObject({ subjectId: 'exported', streamVersion: 4, erasedAt: null, controller: { name: 'Exemple SAS', contact: 'dpo@exemple.fr', policyUrl: 'https://exemple.fr/confidentialite' } });
    expect(body.events).toHaveLength(4);
    const sentChoices = posted.flatMap((sent) => sent.events.map((choice) => ({ sent, choice })));
    body.events.forEach((event: any, i: number) => {
      const { sent, choice } = sentChoices[i]!;
      expect(event).toMatchObject({
        eventId: written[i].eventId,
        hash: written[i].hash,
        streamVersion: i + 1,
        type: choice.type,
        purpose: choice.purpose,
        purposeVersion: 1,
        source: sent.source,
        actor: expect.any(String),
      });
      if (sent.occurredAt) expect(event.occurredAt).toBe(sent.occurredAt);
      const { method, ...personal } = (sent as { proof?: Record<string, unknown> }).proof ?? {};
      expect(event.proof).toEqual({ ...(method ? { method } : {}), ...personal });
    });
    expect(body.consents.find((c: any) => c.purpose === 'newsletter')).toMatchObject({ status: 'withdrawn', allowed: false });
    expect(body.consents.find((c: any) => c.purpose === 'audience-measurement')).toMatchObject({ status: 'refused', allowed: false });
    expect(body.consents.find((c: any) => c.purpose === 'offers-similar-services')).toMatchObject({ status: 'objected', allowed: false });
    expect(body.consents.find((c: any) => c.purpose === 'account-management')).toMatchObject({ status: 'none', allowed: true });
    expect(body.purposes.map((p: any) => p.purposeId)).toEqual(['audience-measurement', 'newsletter', 'offers-similar-services']);
    expect(body.purposes.find((p: any) => p.purposeId === 'newsletter').versions).toEqual([
      expect.objectContaining({ version: 1, title: { fr: 'Lettre d’information', en: 'Newsletter' }, legalBasis: 'consent', validityDays: 395 }),
    ]);
  });

  it('reads [erased] for the personal fields once the subject is erased', async () => {
    await ledger.post('/v1/subjects/exported-erased/events', posted[0]);
    expect((await erase(ledger, 'exported-erased', { reason: 'art17-request' })).status).toBe(201);
    const { body } = await exportOf('exported-erased');
    expect(body.erasedAt).toEqual(expect.any(String));
    expect(body.events.map((e: any) => e.type)).toEqual(['ConsentGranted', 'ConsentRefused', 'SubjectErased']);
    expect(body.events[0].proof).toEqual({ method: 'banner-custom', ip: '[erased]', userAgent: '[erased]', evidence: '[erased]' });
    expect(body.events[2]).toMatchObject({ type: 'SubjectErased', reason: 'art17-request', purpose: null });
    expect(JSON.stringify(body)).not.toMatch(/2001:db8::7|Android 15|link-token/);
  });

  it('streams a subject with many events in order, each decrypted', async () => {
    const writer = ledger.app.get(SubjectStreamWriter);
    const batches = 25;
    const perBatch = 1_000;
    for (let b = 0; b < batches; b++) {
      await writer.write({
        command: {
          type: 'RecordChoices',
          subjectId: 'large',
          choices: Array.from({ length: perBatch }, (_, i) => ({ type: i % 2 === 0 ? 'ConsentGranted' : 'ConsentWithdrawn', purpose: 'newsletter' })),
        },
        metadata: { source: { channel: 'import', collectionPoint: `batch-${b}` } },
        personal: { ip: `10.0.${b}.1`, userAgent: `Importer/${b}` },
      });
    }
    const { status, body } = await exportOf('large');
    expect(status).toBe(200);
    expect(body.events).toHaveLength(batches * perBatch);
    body.events.forEach((event: any, i: number) => {
      const b = Math.floor(i / perBatch);
      expect(event.streamVersion).toBe(i + 1);
      expect(event.type).toBe(i % 2 === 0 ? 'ConsentGranted' : 'ConsentWithdrawn');
      expect(event.source.collectionPoint).toBe(`batch-${b}`);
      expect(event.proof).toEqual({ ip: `10.0.${b}.1`, userAgent: `Importer/${b}` });
      if (i > 0) expect(event.prevHash).toBe(body.events[i - 1].hash);
    });
    expect(body.consents.find((c: any) => c.purpose === 'newsletter')).toMatchObject({ status: 'withdrawn', allowed: false });
  }, 180_000);

  it('answers 404 for an unknown subject, 400 for an unknown format, 403 without audit:read', async () => {
    expect((await ledger.get('/v1/subjects/nobody/export')).status).toBe(404);
    expect((await ledger.get('/v1/subjects/exported/export?format=xml')).status).toBe(400);
    expect((await ledger.get('/v1/subjects/exported/export?format=json&extra=1')).status).toBe(400);
    const { body: key } = await ledger.post('/v1/api-keys', { name: 'frontend', scopes: ['events:write'] });
    expect((await ledger.get('/v1/subjects/exported/export', key.secret)).status).toBe(403);
  });
});
