import { DENYING_EVENT_TYPES } from '@consent-ledger/domain';
import { EnforcementLog, EventStore, ServiceRegistry } from '@consent-ledger/ledger-store';
import { DataSource } from 'typeorm';
import { event, openStore } from './store-fixture';

const HOUR = 3_600_000;

describe('EnforcementLog and ServiceRegistry against Postgres', () => {
  let dataSource: DataSource;
  let store: EventStore;
  let registry: ServiceRegistry;
  let log: EnforcementLog;
  const now = () => new Date(Date.now() + HOUR);

  beforeAll(async () => {
    ({ dataSource, store } = await openStore());
    registry = new ServiceRegistry(dataSource);
    log = new EnforcementLog(dataSource);
  });
  afterAll(() => dataSource.destroy());

  const subjectEvent = (type: string, subjectId: string, purpose?: string) =>
    event(type, { subjectId, ...(purpose === undefined ? {} : { purpose, purposeVersion: 1 }) });
  const append = async (subjectId: string, ...events: ReturnType<typeof event>[]) =>
    store.withStream(`subject:${subjectId}`, undefined, (stream) => stream.append(events));
  const pending = (service?: string, afterPosition = 0, limit = 100) =>
    log.pending({ denyingTypes: DENYING_EVENT_TYPES, recordedUntil: now(), service, afterPosition, limit });

  it('owes an erasure to every service of a purpose the subject had, and nothing to a service registered after the event', async () => {
    const earlier = new Date(Date.now() - HOUR);
    await registry.register({ serviceId: 'mailer', name: 'Mailer', purposes: ['newsletter'], slaSeconds: 60 }, earlier);
    await registry.register({ serviceId: 'ads', name: 'Ads', purposes: ['audience'], slaSeconds: 60 }, earlier);
    await registry.register({ serviceId: 'both', name: 'Both', purposes: ['newsletter', 'audience'], slaSeconds: 600 }, earlier);

    const [grant, withdrawal] = await append('s1', subjectEvent('ConsentGranted', 's1', 'newsletter'), subjectEvent('ConsentWithdrawn', 's1', 'newsletter'));
    const [erasure] = await append('s1', subjectEvent('SubjectErased', 's1'));
    await append('s2', subjectEvent('ConsentGranted', 's2', 'audience'));
    // Registered after those events: it owes none of them.
    await registry.register({ serviceId: 'late', name: 'Late', purposes: ['newsletter'], slaSeconds: 60 }, now());

    const all = await pending();
    expect(all.map((e) => [e.eventId, e.services.map((s) => s.service)])).toEqual([
      [withdrawal.eventId, ['both', 'mailer']],
      [erasure.eventId, ['both', 'mailer']],
    ]);
    expect(all[1]).toMatchObject({ type: 'SubjectErased', subjectId: 's1', purpose: null });
    expect(all.map((e) => e.eventId)).not.toContain(grant.eventId);
    expect((await pending('ads')).length).toBe(0);

    // Paged by position, one event per entry whatever the number of services.
    const first = await pending(undefined, 0, 1);
    expect(first.map((e) => e.eventId)).toEqual([withdrawal.eventId]);
    expect((await pending(undefined, first[0].position, 1)).map((e) => e.eventId)).toEqual([erasure.eventId]);

    const summary = await log.summary(DENYING_EVENT_TYPES, new Date(Date.now() + 2 * 60_000));
    expect(summary.map(({ serviceId, pending: p, breached }) => ({ serviceId, p, breached }))).toEqual([
      { serviceId: 'ads', p: 0, breached: 0 },
      { serviceId: 'both', p: 2, breached: 0 },
      { serviceId: 'late', p: 0, breached: 0 },
      { serviceId: 'mailer', p: 2, breached: 2 },
    ]);
  });

  it('keeps the first acknowledgement of an (event, service) and says which call wrote it', async () => {
    const [withdrawal] = await append('s3', subjectEvent('ConsentWithdrawn', 's3', 'newsletter'));
    const facts = await log.eventFacts([withdrawal.eventId, crypto.randomUUID()]);
    expect([...facts.keys()]).toEqual([withdrawal.eventId]);
    const recordedAt = facts.get(withdrawal.eventId)!.recordedAt;
    const at = (ms: number) => new Date(recordedAt.getTime() + ms);
    const ack = (ms: number) => ({ eventId: withdrawal.eventId, serviceId: 'mailer', enforcedAt: at(ms), latencyMs: ms, acknowledgedAt: at(ms), acknowledgedBy: 'key' });

    const [first] = await log.append([ack(120)]);
    const [repeat] = await log.append([ack(900)]);
    expect(first).toEqual({ created: true, enforcement: { eventId: withdrawal.eventId, serviceId: 'mailer', enforcedAt: at(120).toISOString(), latencyMs: 120 } });
    expect(repeat).toEqual({ ...first, created: false });
    expect((await log.forEvents([withdrawal.eventId])).get(withdrawal.eventId)).toEqual([first.enforcement]);
    expect((await pending('mailer')).map((e) => e.eventId)).not.toContain(withdrawal.eventId);
  });

  it('keeps the date a service took a purpose on when it is registered again', async () => {
    const before = await registry.get('mailer');
    const { created, service } = await registry.register({ serviceId: 'mailer', name: 'Mailer v2', purposes: ['newsletter'], slaSeconds: 30 }, now());
    expect(created).toBe(false);
    expect(service).toMatchObject({ name: 'Mailer v2', slaSeconds: 30, registeredAt: before!.registeredAt });
    expect((await pending('mailer')).length).toBeGreaterThan(0);
  });
});
