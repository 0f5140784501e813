import { PurposeChoiceEvent, SubjectErased, SubjectEvent } from '@consent-ledger/domain';
import { ConsentStateGateway, PurposeReadModel, EventStore, ProjectionRebuilder, SubjectStreams } from '@consent-ledger/ledger-store';
import { DataSource } from 'typeorm';
import { event, openStore } from './store-fixture';

/** Omit that keeps a union a union, so each event type keeps its own fields. */
type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type Choice = Without<PurposeChoiceEvent, 'subjectId'>;

const at = (iso: string) => new Date(iso).toISOString();
const granted = (purpose: string, occurredAt: string, expiresAt: string | null = null): Choice =>
  ({ type: 'ConsentGranted', purpose, purposeVersion: 1, occurredAt: at(occurredAt), expiresAt });

describe('ProjectionRebuilder', () => {
  let dataSource: DataSource;
  let store: EventStore;
  let gateway: ConsentStateGateway;
  let rebuilder: ProjectionRebuilder;

  beforeAll(async () => {
    ({ dataSource, store } = await openStore());
    gateway = new ConsentStateGateway(dataSource);
    rebuilder = new ProjectionRebuilder(dataSource, gateway);
    await seedThroughTheIncrementalProjection();
  });
  afterAll(() => dataSource.destroy());

  /** Appends as the service does (the write path, whatever a decider would say): events and their snapshot in one transaction. */
  const append = (subjectId: string, choices: (Choice | Without<SubjectErased, 'subjectId'>)[]) =>
    new SubjectStreams(store, gateway, new PurposeReadModel(dataSource)).handle(
      subjectId,
      () => choices.map((choice) => ({ ...choice, subjectId }) as SubjectEvent),
      { purposeIds: [], metadata: { source: { channel: 'test' } } },
    );

  async function seedThroughTheIncrementalProjection(): Promise<void> {
    // A withdrawal, then a consent collected a year earlier and imported late: the withdrawal stands.
    await append('alice', [granted('newsletter', '2025-03-01T10:00:00Z', '2026-03-31T10:00:00Z')]);
    await append('alice', [{ type: 'ConsentWithdrawn', purpose: 'newsletter', purposeVersion: 1, occurredAt: at('2025-06-01T10:00:00Z') }]);
    await append('alice', [granted('newsletter', '2024-06-01T10:00:00Z', '2025-07-01T10:00:00Z')]);
    // One submit naming a purpose twice at the same instant: stream order breaks the tie.
    await append('bob', [
      granted('analytics', '2025-05-05T08:00:00Z', null),
      { type: 'ConsentRefused', purpose: 'ads', purposeVersion: 2, occurredAt: at('2025-05-05T08:00:00Z'), expiresAt: at('2026-06-04T08:00:00Z') },
      { type: 'ConsentWithdrawn', purpose: 'analytics', purposeVersion: 1, occurredAt: at('2025-05-05T08:00:00Z') },
    ]);
    await append('carol', [{ type: 'ObjectionRecorded', purpose: 'offers', purposeVersion: 1, occurredAt: at('2025-01-01T00:00:00Z') }]);
    await append('carol', [{ type: 'ObjectionLifted', purpose: 'offers', purposeVersion: 1, occurredAt: at('2025-02-01T00:00:00Z') }]);
    await append('carol', [{ type: 'SubjectErased', occurredAt: at('2025-03-01T00:00:00Z') }]);
    await append('dave', [granted('newsletter', '2024-01-01T00:00:00Z', '2025-01-30T00:00:00Z')]);
    await append('dave', [{ type: 'ConsentExpired', purpose: 'newsletter', purposeVersion: 1, occurredAt: at('2025-01-30T00:00:00Z') }]);
    // Purpose streams share the log and must not reach consent_state.
    await store.withStream('purpose:newsletter', undefined, (stream) =>
      stream.append([event('PurposePublished', { purposeId: 'newsletter', version: 1, occurredAt: at('2024-01-01T00:00:00Z') })]));
    // Enough interleaved writers that small batches cut through streams and transactions.
    await Promise.all(Array.from({ length: 12 }, async (_, writer) => {
      for (let i = 0; i < 6; i++) {
        const purpose = ['newsletter', 'analytics', 'ads'][(writer + i) % 3];
        const day = String(1 + ((writer * 7 + i * 5) % 28)).padStart(2, '0');
        await append(`writer-${writer}`, [i % 2 === 0
          ? granted(purpose, `2025-04-${day}T12:00:00Z`, `2026-05-${day}T12:00:00Z`)
          : { type: 'ConsentWithdrawn', purpose, purposeVersion: 1, occurredAt: at(`2025-04-${day}T12:00:00Z`) }]);
      }
    }));
  }

  const consentState = async () => ({
    rows: await dataSource.query(`SELECT * FROM consent_state ORDER BY subject_id, purpose_id`),
    erased: await dataSource.query(`SELECT stream_id, erased_at FROM streams WHERE erased_at IS NOT NULL ORDER BY stream_id`),
  });

  it('rebuilds exactly the state the incremental projection maintained, folding the whole log at once', async () => {
    const incremental = await consentState();
    expect(incremental.rows.find((row: { subject_id: string }) => row.subject_id === 'alice').status).toBe('withdrawn');
    expect(incremental.erased.map((row: { stream_id: string }) => row.stream_id)).toEqual(['subject:carol']);

    const report = await rebuilder.rebuild({ batchSize: 7 });

    expect(report.events).toBe(11 + 12 * 6);
    expect(report.batches).toBeGreaterThan(10);
    expect(await consentState()).toEqual(incremental);
  });

  it('writes every field as the write path did, through COPY\'s text escaping both ways', async () => {
    // Ids the API would refuse but the log may hold (an import, an older version): every character
    // COPY text escapes, a literal \\N (its null marker), and text beyond the BMP.
    const awkward = ['tab\there', 'new\nline', 'carriage\rreturn', 'back\\slash', '\\N', 'quote\'s "x"', 'snow☃man😀'];
    for (const [i, subjectId] of awkward.entries()) {
      await append(subjectId, [
        granted('news\tletter', '2025-02-01T00:00:00Z', '2026-02-01T00:00:00Z'),
        // An offset and microseconds: the instant reaches timestamptz as the write path's text parameter did.
        { type: 'ConsentRefused', purpose: 'back\\slash\\N', purposeVersion: 3, occurredAt: '2025-02-01T10:00:00.123456+02:00', expiresAt: null },
        ...(i % 2 === 0 ? [{ type: 'ObjectionRecorded' as const, purpose: 'offers', purposeVersion: 1, occurredAt: at('2025-02-02T00:00:00Z') }] : []),
      ]);
    }
    await append('erased\twith\\records', [granted('newsletter', '2025-02-01T00:00:00Z', null)]);
    await append('erased\twith\\records', [{ type: 'SubjectErased', occurredAt: at('2025-02-03T00:00:00Z') }]);
    const incremental = await consentState();
    expect(incremental.rows.filter((row: { subject_id: string }) => awkward.includes(row.subject_id))).toHaveLength(awkward.length * 2 + 4);
    expect(incremental.erased.map((row: { stream_id: string }) => row.stream_id)).toContain('subject:erased\twith\\records');
    await dataSource.query(`UPDATE streams SET erased_at = NULL`);

    await rebuilder.rebuild();

    expect(await consentState()).toEqual(incremental);
  });

  it('pages in numeric commit order when transaction ids gain a digit', async () => {
    // Burns transaction ids up to just below the next power of ten, so the appends below straddle
    // it: a cursor compared or sorted as text ('1000' < '999') would skip or repeat events.
    await dataSource.query(`CREATE PROCEDURE burn_xids(n int) LANGUAGE plpgsql AS $$
      BEGIN FOR i IN 1..n LOOP PERFORM pg_current_xact_id(); COMMIT; END LOOP; END $$`);
    const [{ xid }] = await dataSource.query(`SELECT pg_current_xact_id()::text::bigint AS xid`);
    const next = 10 ** String(Number(xid)).length;
    await dataSource.query(`CALL burn_xids($1)`, [Math.max(0, next - Number(xid) - 6)]);
    for (let i = 0; i < 12; i++) await append(`digits-${i}`, [granted('analytics', '2025-07-01T00:00:00Z', null)]);
    const incremental = await consentState();

    const report = await rebuilder.rebuild({ batchSize: 5 });

    expect(report.events).toBe(11 + 12 * 6 + 7 * 2 + 4 + 2 + 12);
    expect(await consentState()).toEqual(incremental);
  });

  it('repairs a damaged projection', async () => {
    const incremental = await consentState();
    await dataSource.query(`DELETE FROM consent_state WHERE subject_id = 'alice'`);
    await dataSource.query(`UPDATE streams SET erased_at = NULL WHERE stream_id = 'subject:carol'`);
    await dataSource.query(`UPDATE consent_state SET status = 'granted' WHERE subject_id = 'dave'`);
    await dataSource.query(
      `INSERT INTO consent_state VALUES ('mallory', 'ads', 'granted', 1, now(), NULL, 1, 1)`,
    );

    await rebuilder.rebuild();

    expect(await consentState()).toEqual(incremental);
  });

  // Last: the events it adds stay in the (append-only) log and would fail every later rebuild.
  it('leaves the projection as it was when the rebuild fails in Postgres or in Node, with the COPY open', async () => {
    const before = await consentState();
    const appendRaw = (streamId: string, data: Record<string, unknown>, schemaVersion?: number) =>
      store.withStream(streamId, undefined, (stream) => stream.append([{ ...event(data.type as string, data), ...(schemaVersion ? { schemaVersion } : {}) }]));
    // No purposeVersion: the fold carries undefined through, and the COPY's NOT NULL rejects the row.
    await appendRaw('subject:zz-2', { type: 'ConsentWithdrawn', subjectId: 'zz-2', purpose: 'ads', occurredAt: at('2025-01-01T00:00:00Z') });

    await expect(rebuilder.rebuild({ batchSize: 10 })).rejects.toThrow(/purpose_version/);
    expect(await consentState()).toEqual(before);

    // A schema version this code predates: decoding throws in Node while the COPY is still open.
    await appendRaw('subject:zz-1', { type: 'ConsentWithdrawn', subjectId: 'zz-1', purpose: 'ads', purposeVersion: 1, occurredAt: at('2025-01-01T00:00:00Z') }, 99);

    await expect(rebuilder.rebuild({ batchSize: 10 })).rejects.toThrow(/schema version 99/);
    expect(await consentState()).toEqual(before);
  });
});
