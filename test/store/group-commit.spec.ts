import {
  PurposeCommand, SubjectCommand, decidePurpose, decideSubject, foldPurpose, isDomainError, purposeStreamId, subjectStreamId,
} from '@consent-ledger/domain';
import {
  ConsentStateGateway, EventStore, GROUP_COMMIT_IN_FLIGHT, IdempotencyKeyTaken, IdempotencyStore, PurposeReadModel, SubjectStreams, decodePurposeEvent,
  encodeEvent, newEventId,
} from '@consent-ledger/ledger-store';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { openStore } from './store-fixture';

/** The stream lock every append takes (EventStore): a test holding it makes appends queue up behind it. */
const STREAM_LOCK = (streamId: string) => `SELECT pg_advisory_lock(1936028781, hashtext('${streamId}'))`;

/** Resolves once `condition` holds, checking each turn of the event loop (no clock involved). */
async function until(condition: () => boolean): Promise<void> {
  for (let turns = 0; !condition(); turns += 1) {
    if (turns > 100_000) throw new Error('condition never held');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('group commit of subject appends', () => {
  let dataSource: DataSource;
  let store: EventStore;
  let streams: SubjectStreams;
  let readModel: PurposeReadModel;
  let locker: Client;
  let url: string;

  beforeAll(async () => {
    ({ dataSource, store, url } = await openStore());
    readModel = new PurposeReadModel(dataSource);
    streams = new SubjectStreams(store, new ConsentStateGateway(dataSource), readModel);
    locker = new Client({ connectionString: url });
    await locker.connect();
    for (const purposeId of ['newsletter', 'profiling']) {
      await purpose({ type: 'PublishPurpose', purposeId, title: 't', description: 'd', legalBasis: 'consent', validityDays: 365 });
    }
  });
  afterAll(async () => {
    await locker.end();
    await dataSource.destroy();
  });

  async function purpose(command: PurposeCommand): Promise<void> {
    await store.withStream(purposeStreamId(command.purposeId), undefined, async (stream) => {
      const decision = decidePurpose(command, foldPurpose((await stream.events()).map(decodePurposeEvent)), new Date());
      if (isDomainError(decision)) throw new Error(decision.code);
      await stream.append(decision.map((event) => ({ eventId: newEventId(), ...encodeEvent(event), metadata: {} })));
      await readModel.apply(stream.query, decision);
    });
  }

  /** A grant through the write path, counting the decisions made for it. */
  const decisions = new Map<string, number>();
  function grant(subjectId: string, purposeId = 'newsletter', options: { idempotencyKey?: string } = {}) {
    const command: SubjectCommand = { type: 'RecordChoices', subjectId, choices: [{ type: 'ConsentGranted', purpose: purposeId }] };
    return streams.handle(subjectId, (state) => {
      decisions.set(subjectId, (decisions.get(subjectId) ?? 0) + 1);
      const decision = decideSubject(command, state, new Date());
      if (isDomainError(decision)) throw new Error(decision.code);
      return decision;
    }, {
      purposeIds: [purposeId],
      metadata: { source: { channel: 'test' } },
      personal: { ip: '203.0.113.9' },
      ...(options.idempotencyKey
        ? { idempotency: { scope: 'test', key: options.idempotencyKey, requestHash: 'h', response: (events) => ({ events: events.map((e) => ({ eventId: e.eventId, position: e.position })) }) } }
        : {}),
    });
  }

  const transactionsOf = async (subjectIds: string[]): Promise<Map<string, string>> => {
    const rows: { stream_id: string; transaction_id: string }[] = await dataSource.query(
      `SELECT stream_id, transaction_id::text FROM events WHERE stream_id = ANY($1)`, [subjectIds.map(subjectStreamId)]);
    return new Map(rows.map((row) => [row.stream_id.slice(subjectStreamId('').length), row.transaction_id]));
  };

  it('writes the appends that queue up together in one transaction, and an item whose purpose moved fails alone', async () => {
    // Writes held at their stream locks fill the batches in flight; the next ones queue up together.
    const heldIds = Array.from({ length: GROUP_COMMIT_IN_FLIGHT }, (_, i) => `held-${i}`);
    for (const id of heldIds) await locker.query(STREAM_LOCK(subjectStreamId(id)));
    const held = heldIds.map((id) => grant(id));
    await until(() => heldIds.every((id) => decisions.get(id) === 1));
    const queued = ['q-1', 'q-2', 'q-3', 'q-4'].map((id) => grant(id));
    const doomed = grant('q-profiling', 'profiling').then(() => 'appended', (error: Error) => error.message);
    await until(() => ['q-1', 'q-2', 'q-3', 'q-4', 'q-profiling'].every((id) => decisions.get(id) === 1));
    // Decided on 'profiling' as it was; retired before the append.
    await purpose({ type: 'RetirePurpose', purposeId: 'profiling' });
    await locker.query('SELECT pg_advisory_unlock_all()');

    await Promise.all([...held, ...queued]);
    expect(await doomed).toBe('purpose_retired');
    const transactions = await transactionsOf(['q-1', 'q-2', 'q-3', 'q-4', 'q-profiling']);
    expect(transactions.has('q-profiling')).toBe(false);
    expect(new Set(['q-1', 'q-2', 'q-3', 'q-4'].map((id) => transactions.get(id))).size).toBe(1);
    // Its second decision, on the retired purpose, is what refused it.
    expect(decisions.get('q-profiling')).toBe(2);
  });

  it('decides a write that lost a race again on the new state, and appends it after the winner', async () => {
    await locker.query(STREAM_LOCK(subjectStreamId('raced')));
    const first = grant('raced');
    const second = grant('raced', 'newsletter');
    await until(() => decisions.get('raced') === 2);
    await locker.query('SELECT pg_advisory_unlock_all()');
    const results = await Promise.all([first, second]);

    expect(results.map((r) => r.streamVersion).sort()).toEqual([1, 2]);
    expect(decisions.get('raced')).toBe(3);
    const rows: { stream_version: number; prev_hash: string; hash: string }[] = await dataSource.query(
      `SELECT stream_version, prev_hash, hash FROM events WHERE stream_id = $1 ORDER BY stream_version`, [subjectStreamId('raced')]);
    expect(rows.map((r) => r.stream_version)).toEqual([1, 2]);
    expect(rows[1].prev_hash).toBe(rows[0].hash);
  });

  it('keeps one response per Idempotency-Key: the loser of a race writes nothing and learns the key was taken', async () => {
    // 'idem-a' decides first but waits at its stream lock; 'idem-b' (same key) commits meanwhile.
    await locker.query(STREAM_LOCK(subjectStreamId('idem-a')));
    const loser = grant('idem-a', 'newsletter', { idempotencyKey: 'k-1' }).then(() => 'appended', (error) => error);
    await until(() => decisions.get('idem-a') === 1);
    const won = await grant('idem-b', 'newsletter', { idempotencyKey: 'k-1' });
    await locker.query('SELECT pg_advisory_unlock_all()');

    expect(await loser).toBeInstanceOf(IdempotencyKeyTaken);
    expect((await transactionsOf(['idem-a'])).size).toBe(0);
    const saved = await new IdempotencyStore(dataSource).find('test', 'k-1');
    // The saved response carries the positions the append gave.
    expect(saved?.body).toEqual({ events: won.appended.map((e) => ({ eventId: e.eventId, position: e.position })) });
    expect(won.appended[0].position).toBeGreaterThan(0);
  });

  it('returns what a read gives back', async () => {
    const { appended } = await grant('read-back');
    const [read] = await store.readStream(subjectStreamId('read-back'));
    expect(read).toEqual({ ...appended[0], personal: { ip: '203.0.113.9' } });
  });
});
