import { getDataSourceToken } from '@nestjs/typeorm';
import { IdempotencyStore } from '@consent-ledger/ledger-store';
import { APP_CONFIG } from '../../apps/consent-ledger/src/config/app-config';
import { Clock } from '../../apps/consent-ledger/src/rights/clock';
import { KeyTableVacuum } from '../../apps/consent-ledger/src/rights/key-table-vacuum';
import { RetentionSweep, SweepReport } from '../../apps/consent-ledger/src/rights/retention-sweep';
import { rightsMetrics } from '../../apps/consent-ledger/src/rights/rights-metrics';
import { SubjectErasure } from '../../apps/consent-ledger/src/rights/subject-erasure';
import { sql } from '../relay/relay-fixture';
import { LedgerApp } from '../e2e/ledger-app';
import { grant, personalProof, publishPurposes } from './rights-fixture';

const DAY = 86_400_000;

/** A clock the test moves: the sweeps read it, nothing sleeps. */
class MovableClock implements Clock {
  private offsetMs = 0;
  now = (): Date => new Date(Date.now() + this.offsetMs);
  moveTo(offsetMs: number): void {
    this.offsetMs = offsetMs;
  }
}

/** The instance's own sweep, built with the moved clock instead of the system clock. */
function sweepOf(ledger: LedgerApp, clock: Clock): RetentionSweep {
  const get = <T>(token: unknown) => ledger.app.get(token as never) as T;
  return new RetentionSweep(get(getDataSourceToken()), get(IdempotencyStore), get(SubjectErasure), get(KeyTableVacuum), get(APP_CONFIG), clock);
}

const counted = async (counter: { get(): Promise<{ values: { value: number }[] }> }) =>
  (await counter.get()).values.reduce((sum, v) => sum + v.value, 0);

const total = (reports: (SweepReport | 'skipped')[], field: keyof SweepReport) =>
  reports.reduce((sum, r) => sum + (r === 'skipped' ? 0 : r[field]), 0);

describe('retention sweep', () => {
  let first: LedgerApp;
  let second: LedgerApp;
  const clock = new MovableClock();
  const subjects = Array.from({ length: 24 }, (_, i) => `dormant-${i}`);

  beforeAll(async () => {
    first = await LedgerApp.start({ RETENTION_INTERVAL_MS: '0' });
    second = await LedgerApp.start({ RETENTION_INTERVAL_MS: '0', DATABASE_URL: first.databaseUrl });
    await publishPurposes(first);
    for (const subjectId of subjects) {
      const response = await grant(first, subjectId, ['newsletter'], personalProof(subjectId), {});
      expect(response.status).toBe(201);
      // Each with an idempotency record.
      expect((await first.post(`/v1/subjects/${subjectId}/events`, { events: [{ type: 'ConsentWithdrawn', purpose: 'newsletter' }], source: { channel: 'web' } }, { 'idempotency-key': `key-${subjectId}` })).status).toBe(201);
    }
    // No personal field: nothing to shred, so retention leaves it alone.
    expect((await first.post('/v1/subjects/no-proof/events', { events: [{ type: 'ConsentRefused', purpose: 'newsletter' }], source: { channel: 'web' } })).status).toBe(201);
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  const sweepBoth = () => Promise.all([sweepOf(first, clock).sweep(), sweepOf(second, clock).sweep()]);

  it('drops idempotency records after IDEMPOTENCY_TTL_DAYS and shreds dormant subjects after PROOF_RETENTION_YEARS, exactly once across two instances', async () => {
    const droppedBefore = await counted(rightsMetrics.idempotencyRecordsDropped);
    const shreddedBefore = await counted(rightsMetrics.subjectsShredded);

    clock.moveTo(29 * DAY);
    expect(total(await sweepBoth(), 'idempotencyRecordsDropped')).toBe(0);

    clock.moveTo(31 * DAY);
    const month = await sweepBoth();
    expect(total(month, 'idempotencyRecordsDropped')).toBe(subjects.length);
    expect(total(month, 'subjectsShredded')).toBe(0);
    expect(await sql(first.databaseUrl, 'SELECT 1 FROM idempotency_keys')).toEqual([]);

    clock.moveTo(5 * 365 * DAY - 2 * DAY);
    expect(total(await sweepBoth(), 'subjectsShredded')).toBe(0);

    clock.moveTo(5 * 366 * DAY);
    const years = await sweepBoth();
    expect(total(years, 'subjectsShredded')).toBe(subjects.length);
    const again = await sweepBoth();
    expect(total(again, 'subjectsShredded')).toBe(0);
    expect(total(again, 'idempotencyRecordsDropped')).toBe(0);

    const erasures = await sql<{ stream_id: string; n: string; reason: string }>(first.databaseUrl,
      `SELECT stream_id, count(*) AS n, min(data->>'reason') AS reason FROM events WHERE type = 'SubjectErased' GROUP BY stream_id ORDER BY stream_id`);
    expect(erasures.map((e) => e.stream_id).sort()).toEqual(subjects.map((s) => `subject:${s}`).sort());
    expect(erasures.every((e) => e.n === '1' && e.reason === 'retention')).toBe(true);
    expect(await sql(first.databaseUrl, `SELECT stream_id FROM streams WHERE data_key IS NOT NULL`)).toEqual([]);
    expect(await sql(first.databaseUrl, `SELECT erased_at FROM streams WHERE stream_id = 'subject:no-proof'`)).toEqual([{ erased_at: null }]);
    const history = await first.get('/v1/subjects/dormant-0/events');
    expect(history.body.events[0].proof).toMatchObject({ ip: '[erased]', userAgent: '[erased]', evidence: '[erased]' });

    expect((await counted(rightsMetrics.idempotencyRecordsDropped)) - droppedBefore).toBe(subjects.length);
    expect((await counted(rightsMetrics.subjectsShredded)) - shreddedBefore).toBe(subjects.length);
    const metrics = await (await fetch(`${first.baseUrl}/metrics`)).text();
    expect(metrics).toContain('consent_retention_subjects_shredded_total');
    expect(metrics).toContain('consent_retention_idempotency_records_dropped_total');
  });

  it('lets one instance sweep at a time', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    // The first instance's sweep is held inside its lock while the second one tries.
    const blockingStore = {
      deleteCreatedBefore: async () => {
        entered();
        await held;
        return 0;
      },
    } as unknown as IdempotencyStore;
    const get = <T>(token: unknown) => first.app.get(token as never) as T;
    const blocked = new RetentionSweep(get(getDataSourceToken()), blockingStore, get(SubjectErasure), get(KeyTableVacuum), get(APP_CONFIG), clock);
    const running = blocked.sweep();
    await inside;
    expect(await sweepOf(second, clock).sweep()).toBe('skipped');
    release();
    expect(await running).toEqual({ idempotencyRecordsDropped: 0, subjectsShredded: 0 });
    // Released: the next sweep runs.
    expect(await sweepOf(second, clock).sweep()).toEqual({ idempotencyRecordsDropped: 0, subjectsShredded: 0 });
  });
});
