import { subjectStreamId } from '@consent-ledger/domain';
import { Pool, escapeLiteral } from 'pg';
import { DataSource } from 'typeorm';
import { PersonalDataCipher } from '../crypto/personal-data-cipher';
import { AppendNotifier } from './append-notifier';
import { ConcurrencyError } from './concurrency-error';
import { EventRow, EVENT_COLUMNS, toStoredEvent } from './event-row';
import { pgPoolOf } from './pg-pool';
import { PgTransaction, inTransaction } from './pg-transaction';
import { GroupCommit, SubjectAppend, SubjectAppendOutcome } from './group-commit';
import { SqlSession } from './sql-session';
import { StoredEvent, StoredEventWithPersonal } from './stored-event';
import { StreamSession } from './stream-session';

export interface ReadStreamOptions {
  /** Only events with stream_version > after. */
  after?: number;
  limit?: number;
  /** Only events whose data.purpose equals this. */
  purpose?: string;
}

/** Advisory-lock class of stream locks (the two-key form: a namespace of their own). */
const STREAM_LOCK_CLASS = 1_936_028_781;

/**
 * The statements that lock a stream for writing and read its head. The advisory lock comes first
 * because it takes no transaction id: a writer waiting for it gets its id only once the previous
 * holder committed, so a stream's later versions always sort after its earlier ones in the global
 * order (transaction_id, global_position). A row lock (the upsert below) would assign the id
 * before waiting, and a transaction that took its id early could commit a later stream version
 * with a smaller id. The upsert then creates the head of a new stream; a hash collision between
 * two streams only serializes them.
 */
const streamLock = (streamId: string): string[] => [
  `SELECT pg_advisory_xact_lock(${STREAM_LOCK_CLASS}, hashtext(${escapeLiteral(streamId)}))`,
  `INSERT INTO streams (stream_id) VALUES (${escapeLiteral(streamId)})
   ON CONFLICT (stream_id) DO UPDATE SET stream_id = EXCLUDED.stream_id
   RETURNING version, head_hash, data_key`,
];

/** Postgres event store: one append-only `events` table is both the log and the outbox. */
export class EventStore {
  private readonly notifier: AppendNotifier;
  private readonly groupCommit = new GroupCommit(() => this.pool);

  constructor(
    private readonly dataSource: DataSource,
    readonly cipher: PersonalDataCipher,
  ) {
    this.notifier = new AppendNotifier(dataSource);
  }

  private get pool(): Pool {
    return pgPoolOf(this.dataSource);
  }

  /**
   * Runs `work` in one transaction holding the stream's lock, so concurrent writers of one stream are
   * serialized rather than refused. With `expectedVersion` the caller asks for optimistic concurrency
   * instead: a different current version is a ConcurrencyError. BEGIN and the lock cost one round trip.
   * Once a transaction that appended has committed, feed readers are notified (AppendNotifier).
   */
  async withStream<T>(streamId: string, expectedVersion: number | undefined, work: (stream: StreamSession) => Promise<T>): Promise<T> {
    const { transaction, rows } = await PgTransaction.open(this.pool, streamLock(streamId));
    let appended = false;
    const result = await inTransaction(transaction, async () => {
      const head = rows[1][0] as { version: number; head_hash: string | null; data_key: Buffer | null };
      if (expectedVersion !== undefined && head.version !== expectedVersion) {
        throw new ConcurrencyError(streamId, expectedVersion, head.version);
      }
      const session = new StreamSession(
        { streamId, version: head.version, headHash: head.head_hash },
        transaction.query,
        head.data_key,
        this.cipher,
      );
      const outcome = await work(session);
      appended = session.head.version !== head.version;
      return outcome;
    });
    if (appended) this.notifier.committed();
    return result;
  }

  /**
   * Appends to a subject stream by group commit (GroupCommit): written only if the stream and the
   * purposes are still as `append` read them. Feed readers are notified once it committed.
   */
  async appendToSubject(append: SubjectAppend): Promise<SubjectAppendOutcome> {
    const outcome = await this.groupCommit.submit(append);
    if (outcome.outcome === 'appended') this.notifier.committed();
    return outcome;
  }

  async transaction<T>(work: (query: SqlSession) => Promise<T>): Promise<T> {
    const { transaction } = await PgTransaction.open(this.pool);
    return inTransaction(transaction, () => work(transaction.query));
  }

  /** Subject events recorded per UTC day and type since `since` (a day's start): the console's plot. */
  async dailyCounts(since: Date): Promise<{ day: string; type: string; count: number }[]> {
    const rows: { day: string; type: string; count: string }[] = await this.dataSource.query(
      `SELECT to_char(date_trunc('day', recorded_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, type, count(*) AS count
       FROM events WHERE recorded_at >= $1 AND stream_id LIKE $2
       GROUP BY 1, 2 ORDER BY 1, 2`,
      [since, `${subjectStreamId('')}%`],
    );
    return rows.map((row) => ({ day: row.day, type: row.type, count: Number(row.count) }));
  }

  /** The highest global position in the log (0: empty); positions have gaps, so differences are approximate. */
  async headPosition(): Promise<number> {
    const [row]: { head: string | null }[] = await this.dataSource.query('SELECT max(global_position) AS head FROM events');
    return Number(row?.head ?? 0);
  }

  /** A stream's current version (0: no such stream). */
  async streamVersion(streamId: string): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT version FROM streams WHERE stream_id = $1`, [streamId]);
    return row?.version ?? 0;
  }

  /** A stream's events in stream order, with their personal proof fields decrypted. */
  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEventWithPersonal[]> {
    const rows: (EventRow & { personal_data: Buffer | null; data_key: Buffer | null })[] = await this.dataSource.query(
      `SELECT ${EVENT_COLUMNS}, e.personal_data, s.data_key
       FROM events e JOIN streams s ON s.stream_id = e.stream_id
       WHERE e.stream_id = $1 AND e.stream_version > $2
         AND ($3::text IS NULL OR e.data->>'purpose' = $3)
       ORDER BY e.stream_version
       LIMIT $4`,
      [streamId, options.after ?? 0, options.purpose ?? null, options.limit ?? null],
    );
    return rows.map((row) => ({
      ...toStoredEvent(row),
      personal: row.personal_data === null ? null : row.data_key === null ? 'erased' : this.cipher.open(row.personal_data, row.data_key),
    }));
  }

  /**
   * Whether the event at `position` is committed (visible to a statement starting now): a consistency
   * token is honoured once it is, since the projection was written in the same transaction.
   */
  async isVisible(position: number): Promise<boolean> {
    const { rows } = await this.pool.query({ name: 'event-visible', text: 'SELECT 1 FROM events WHERE global_position = $1', values: [position] });
    return rows.length > 0;
  }

  /**
   * Events in commit order after the event at `afterPosition` (0: from the start). Only
   * transactions below the snapshot's xmin are read: every transaction that could still commit
   * with a smaller (transaction_id, position) has finished, so no committed event is ever skipped,
   * which a bare `position > last` over a sequence cannot promise under concurrency.
   */
  async readAll(afterPosition: number, limit: number): Promise<StoredEvent[]> {
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT ${EVENT_COLUMNS} FROM events e
       WHERE (e.transaction_id, e.global_position) >
             (COALESCE((SELECT transaction_id FROM events WHERE global_position = $1), '0'::xid8), $1)
         AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY e.transaction_id, e.global_position
       LIMIT $2`,
      [afterPosition, limit],
    );
    return rows.map(toStoredEvent);
  }
}
