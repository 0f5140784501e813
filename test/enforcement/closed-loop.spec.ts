import { ConsentChange, ConsentClient } from '@consent-ledger/consent-client';
import { logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { EnforcementClock } from '../../apps/consent-ledger/src/enforcement/enforcement-clock';
import { LedgerApp } from '../e2e/ledger-app';
import { newsletter, record, runKafkaBrokers, sql, startRelayingLedger, uniquePrefix, until, untilRelay } from '../relay/relay-fixture';

const SERVICES = {
  mailer: { name: 'Newsletter sender', purposes: ['newsletter'], slaSeconds: 60 },
  crm: { name: 'CRM sync', purposes: ['newsletter'], slaSeconds: 60 },
  'ads-sync': { name: 'Ad audience sync', purposes: ['newsletter'], slaSeconds: 300 },
};

/** The whole loop: HTTP withdrawal, relay, Kafka, two SDK subscribers acknowledging, and a third service that never does. */
describe('closed-loop enforcement', () => {
  const prefix = uniquePrefix('enf');
  const subject = `${prefix}-alice`;
  let ledger: LedgerApp;
  const clients: ConsentClient[] = [];
  const keys: Record<string, string> = {};
  let withdrawal: { eventId: string; recordedAt: string };
  let grantEventId: string;

  const post = (path: string, body: unknown, key: string = ledger.adminKey) => ledger.request('POST', path, { body, key });
  const history = async () => (await ledger.get(`/v1/subjects/${subject}/events`)).body.events as any[];
  const metric = async (name: string, service: string): Promise<number | undefined> => {
    const text = await (await fetch(`${ledger.baseUrl}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name}{service="${service}"}`));
    return line === undefined ? undefined : Number(line.split(' ').pop());
  };

  beforeAll(async () => {
    ledger = await startRelayingLedger(runKafkaBrokers());
    expect((await ledger.put('/v1/purposes/newsletter', newsletter)).status).toBe(201);
    for (const [serviceId, registration] of Object.entries(SERVICES)) {
      expect((await ledger.put(`/v1/services/${serviceId}`, registration)).status).toBe(201);
    }
    for (const service of ['mailer', 'crm']) {
      const created = await post('/v1/api-keys', { name: service, scopes: ['consents:read', 'enforcements:write'], service });
      expect(created.status).toBe(201);
      expect(created.body.service).toBe(service);
      keys[service] = created.body.secret;
    }
    await untilRelay(ledger, 'the relay to connect', (s) => s.role === 'active' && s.kafka === 'connected');
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.stop()));
    await ledger?.close();
  });

  const subscriber = (service: string, onChange?: (change: ConsentChange) => Promise<void>) => {
    const client = new ConsentClient({
      brokers: runKafkaBrokers(),
      httpBaseUrl: ledger.baseUrl,
      apiKey: keys[service],
      enforcement: { service, lingerMs: 5 },
      kafka: { logLevel: logLevel.NOTHING, retry: { initialRetryTime: 50, retries: 10 } },
      consumer: { maxWaitTimeInMs: 100, heartbeatInterval: 50, sessionTimeout: 3000 },
    });
    if (onChange) client.onChange(onChange);
    clients.push(client);
    return client;
  };

  it('a withdrawal reaches two SDK subscribers, both acknowledge after their handlers, and history shows both with their latency', async () => {
    let mailerHandlerReturnedAt = 0;
    const mailer = subscriber('mailer', async (change) => {
      if (change.subjectId !== subject) return;
      // A handler that takes a while (unsubscribing from a mailing list): the acknowledgement waits for it.
      await new Promise((resolve) => setTimeout(resolve, 50));
      mailerHandlerReturnedAt = Date.now();
    });
    const crm = subscriber('crm');
    await Promise.all([mailer.start(), crm.start()]);

    const granted = await record(ledger, subject, 'ConsentGranted');
    expect(granted.status).toBe(201);
    grantEventId = granted.body.events[0].eventId;
    await until(() => mailer.isAllowed(subject, 'newsletter') && crm.isAllowed(subject, 'newsletter'), 'the grant in both caches');

    const withdrawn = await record(ledger, subject, 'ConsentWithdrawn');
    expect(withdrawn.status).toBe(201);
    withdrawal = withdrawn.body.events[0];

    await until(async () => (await history()).find((e) => e.eventId === withdrawal.eventId)?.enforcements.length === 2, 'both acknowledgements');
    expect(mailer.isAllowed(subject, 'newsletter') || crm.isAllowed(subject, 'newsletter')).toBe(false);
    const events = await history();
    expect(events.find((e) => e.eventId === grantEventId).enforcements).toEqual([]);
    const { enforcements } = events.find((e) => e.eventId === withdrawal.eventId);
    expect(enforcements.map((e: any) => e.service).sort()).toEqual(['crm', 'mailer']);
    for (const enforcement of enforcements) {
      expect(Object.keys(enforcement).sort()).toEqual(['enforcedAt', 'latencyMs', 'service']);
      expect(enforcement.latencyMs).toBe(Date.parse(enforcement.enforcedAt) - Date.parse(withdrawal.recordedAt));
      expect(enforcement.latencyMs).toBeGreaterThanOrEqual(0);
    }
    const mailerEnforcedAt = Date.parse(enforcements.find((e: any) => e.service === 'mailer').enforcedAt);
    expect(mailerHandlerReturnedAt).toBeGreaterThan(0);
    expect(mailerEnforcedAt).toBeGreaterThanOrEqual(mailerHandlerReturnedAt);

    expect(await metric('consent_ledger_enforcement_latency_seconds_count', 'mailer')).toBe(1);
    expect(await metric('consent_ledger_enforcement_latency_seconds_count', 'crm')).toBe(1);
  });

  it('lists the third service, which never acknowledges, as pending, and as an SLA breach once its SLA has passed', async () => {
    const pending = await ledger.get(`/v1/enforcement/pending?olderThan=PT0S`);
    expect(pending.status).toBe(200);
    expect(pending.body.pending).toEqual([
      {
        position: expect.any(Number),
        eventId: withdrawal.eventId,
        type: 'ConsentWithdrawn',
        subjectId: subject,
        purpose: 'newsletter',
        recordedAt: withdrawal.recordedAt,
        services: [{ service: 'ads-sync', slaSeconds: 300, dueAt: new Date(Date.parse(withdrawal.recordedAt) + 300_000).toISOString() }],
      },
    ]);
    expect((await ledger.get(`/v1/enforcement/pending?service=mailer`)).body.pending).toEqual([]);
    expect((await ledger.get(`/v1/enforcement/pending?service=ads-sync&olderThan=PT1H`)).body.pending).toEqual([]);

    expect(await metric('consent_ledger_enforcement_pending_events', 'ads-sync')).toBe(1);
    expect(await metric('consent_ledger_enforcement_pending_events', 'mailer')).toBe(0);
    expect(await metric('consent_ledger_enforcement_sla_breaches', 'ads-sync')).toBe(0);

    // Five minutes and a second later, by the ledger's enforcement clock.
    const clock = ledger.app.get(EnforcementClock);
    const later = new Date(Date.parse(withdrawal.recordedAt) + 301_000);
    const spy = jest.spyOn(clock, 'now').mockReturnValue(later);
    try {
      const overdue = await ledger.get(`/v1/enforcement/pending?olderThan=PT5M&service=ads-sync`);
      expect(overdue.body.pending.map((e: any) => e.eventId)).toEqual([withdrawal.eventId]);
      // The gauges reuse one summary for a second: the next one is as of the moved clock.
      await until(async () => (await metric('consent_ledger_enforcement_sla_breaches', 'ads-sync')) === 1, 'the breach in the metrics');
      expect(await metric('consent_ledger_enforcement_sla_breaches', 'mailer')).toBe(0);
      expect(await metric('consent_ledger_enforcement_oldest_pending_age_seconds', 'ads-sync')).toBeGreaterThan(0);
      expect(await metric('consent_ledger_enforcement_last_acknowledgement_timestamp_seconds', 'ads-sync')).toBe(0);
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses an acknowledgement for another service than the key is bound to (403), and an unknown event (404)', async () => {
    const forOther = await post('/v1/enforcements', { eventId: withdrawal.eventId, service: 'crm' }, keys.mailer);
    expect(forOther.status).toBe(403);
    expect(forOther.headers.get('content-type')).toContain('application/problem+json');
    expect(forOther.body.type).toBe('urn:consent-ledger:problem:service_mismatch');

    const unknown = await post('/v1/enforcements', { eventId: randomUUID(), service: 'mailer' }, keys.mailer);
    expect(unknown.status).toBe(404);
    expect(unknown.body.type).toBe('urn:consent-ledger:problem:event_not_found');

    const [row] = await sql<{ count: string }>(ledger.databaseUrl, `SELECT count(*) FROM enforcements WHERE service_id = 'crm'`);
    expect(Number(row.count)).toBe(1);
  });

  it('treats a repeated acknowledgement as a no-op returning the first', async () => {
    const first = (await history()).find((e) => e.eventId === withdrawal.eventId).enforcements.find((e: any) => e.service === 'mailer');
    const repeat = await post('/v1/enforcements', { eventId: withdrawal.eventId, service: 'mailer' }, keys.mailer);
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual({ eventId: withdrawal.eventId, service: 'mailer', ...first });

    // An unbound key with the scope may acknowledge for any service; the first time is 201.
    const late = await post('/v1/enforcements', { eventId: withdrawal.eventId, service: 'ads-sync' });
    expect(late.status).toBe(201);
    const again = await post('/v1/enforcements', { eventId: withdrawal.eventId, service: 'ads-sync', enforcedAt: new Date().toISOString() });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(late.body);
    expect((await ledger.get(`/v1/enforcement/pending`)).body.pending).toEqual([]);
    expect(await metric('consent_ledger_enforcement_latency_seconds_count', 'mailer')).toBe(1);
  });

  it('refuses what is not an enforcement, and never changes one once stored', async () => {
    const expectProblem = async (body: unknown, status: number, code: string) => {
      const response = await post('/v1/enforcements', body);
      expect({ status: response.status, type: response.body.type }).toEqual({ status, type: `urn:consent-ledger:problem:${code}` });
    };
    await expectProblem({ eventId: grantEventId, service: 'crm' }, 422, 'event_not_enforceable');
    await expectProblem({ eventId: withdrawal.eventId, service: 'nobody' }, 422, 'unknown_service');
    await expectProblem({ eventId: 'not-a-uuid', service: 'crm' }, 400, 'validation_failed');
    await expectProblem({ eventId: withdrawal.eventId, service: 'crm', extra: 1 }, 400, 'validation_failed');
    const future = new Date(Date.now() + 10 * 60_000).toISOString();
    await expectProblem({ eventId: withdrawal.eventId, service: 'crm', enforcedAt: future }, 400, 'enforced_at_in_future');
    const noScope = await post('/v1/api-keys', { name: 'reader', scopes: ['consents:read'] });
    const forbidden = await post('/v1/enforcements', { eventId: withdrawal.eventId, service: 'crm' }, noScope.body.secret);
    expect(forbidden.status).toBe(403);

    await expect(sql(ledger.databaseUrl, `UPDATE enforcements SET latency_ms = 0`)).rejects.toThrow(/append-only/);
    await expect(sql(ledger.databaseUrl, `DELETE FROM enforcements`)).rejects.toThrow(/append-only/);
  });

  it('validates service registrations and key bindings', async () => {
    const put = (id: string, body: unknown) => ledger.put(`/v1/services/${id}`, body);
    expect((await put('Bad_Id', SERVICES.crm)).status).toBe(400);
    expect((await put('crm', { ...SERVICES.crm, owner: 'x' })).body.errors).toEqual([expect.objectContaining({ field: 'owner' })]);
    expect((await put('crm', { ...SERVICES.crm, slaSeconds: 0 })).status).toBe(400);
    const unknownPurpose = await put('crm', { ...SERVICES.crm, purposes: ['newsletter', 'nothing-here'] });
    expect(unknownPurpose.status).toBe(422);
    expect(unknownPurpose.body.errors).toEqual([{ field: 'purposes[1]', message: 'purpose nothing-here does not exist' }]);

    const replaced = await put('crm', { ...SERVICES.crm, slaSeconds: 120 });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ serviceId: 'crm', slaSeconds: 120, purposes: ['newsletter'] });
    expect((await ledger.get('/v1/services')).body.services.map((s: any) => s.serviceId)).toEqual(['ads-sync', 'crm', 'mailer']);
    expect((await ledger.get('/v1/services/crm')).body.slaSeconds).toBe(120);
    expect((await ledger.get('/v1/services/nobody')).status).toBe(404);
    expect((await ledger.get('/v1/services', keys.crm)).status).toBe(403);

    const unbound = await post('/v1/api-keys', { name: 'x', scopes: ['enforcements:write'], service: 'nobody' });
    expect(unbound.status).toBe(422);
    expect((await ledger.get('/v1/enforcement/pending?olderThan=P1M')).status).toBe(400);
    expect((await ledger.get('/v1/enforcement/pending?olderThan=5m')).status).toBe(400);
  });
});
