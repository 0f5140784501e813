import { CONSENT_STATUSES, ConsentRecord, isExpiryDue } from '@consent-ledger/domain';
import { ConsentStateGateway } from '@consent-ledger/ledger-store';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { openStore } from './store-fixture';

const NOW = Date.parse('2026-06-01T00:00:00Z');

/** Records around `NOW`: expiry exactly at it, just before and after, far off, or none. */
const record = fc.record({
  status: fc.constantFrom(...CONSENT_STATUSES.filter((status) => status !== 'none')),
  expiresInMs: fc.option(fc.oneof(fc.constantFrom(-1, 0, 1), fc.integer({ min: -400 * 86_400_000, max: 400 * 86_400_000 })), { nil: null }),
});

describe('ConsentStateGateway.dueForExpiry, the SQL form of the domain rule isExpiryDue', () => {
  let dataSource: DataSource;
  let gateway: ConsentStateGateway;

  beforeAll(async () => {
    ({ dataSource } = await openStore());
    gateway = new ConsentStateGateway(dataSource);
  });
  afterAll(() => dataSource.destroy());

  it('finds exactly the records the domain says are due (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(record, { maxLength: 30 }), async (generated) => {
        const records: (ConsentRecord & { subjectId: string })[] = generated.map((r, i) => ({
          subjectId: `s${i}`,
          purpose: 'newsletter',
          status: r.status,
          purposeVersion: 1,
          since: '2025-01-01T00:00:00.000Z',
          expiresAt: r.expiresInMs === null ? null : new Date(NOW + r.expiresInMs).toISOString(),
          streamVersion: 1,
        }));
        await dataSource.query(`TRUNCATE consent_state`);
        await dataSource.query(
          `INSERT INTO consent_state (subject_id, purpose_id, status, purpose_version, since, expires_at, stream_version, position)
           SELECT s, 'newsletter', st, 1, '2025-01-01T00:00:00Z', e, 1, 1 FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS x(s, st, e)`,
          [records.map((r) => r.subjectId), records.map((r) => r.status), records.map((r) => r.expiresAt)],
        );

        const due = await gateway.dueForExpiry(new Date(NOW), 1_000);

        const expected = records.filter((r) => isExpiryDue(r, new Date(NOW))).map((r) => r.subjectId);
        expect(due.map((d) => d.subjectId).sort()).toEqual(expected.sort());
      }),
      { numRuns: 60, seed: 20261127 },
    );
  });
});
