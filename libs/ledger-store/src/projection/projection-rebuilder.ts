import { SubjectState, evolveSubject, initialSubjectState, subjectStreamId } from '@consent-ledger/domain';
import { escapeLiteral, Pool, PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { decodeSubjectEvent } from '../events/event-codec';
import { pgPoolOf } from '../events/pg-pool';
import { ConsentStateGateway, FoldedStateCopy } from './consent-state-gateway';
import { copyRows } from './copy-text';

export interface RebuildOptions {
  /** Events read per statement. */
  batchSize?: number;
}

export interface RebuildReport {
  /** Subject events replayed. */
  events: number;
  batches: number;
}

interface LogRow {
  streamId: string;
  streamVersion: number;
  globalPosition: number;
  type: string;
  data: Record<string, unknown>;
  schemaVersion: number;
}

/**
 * Each batch is a range of the (stream_id, stream_version) unique index, read in its order. Reading
 * the whole log in one statement instead lets the planner pick a sort of every event, which spills
 * to disk; round trips between batches no longer matter at this size.
 */
const DEFAULT_BATCH_SIZE = 20_000;

const SUBJECT_PREFIX = subjectStreamId('');

/** The columns of LogRow, in order, from a row of COPY text (none is null). */
const logRowOf = ([streamId, streamVersion, globalPosition, type, data, schemaVersion]: (string | null)[]): LogRow => ({
  streamId: streamId as string,
  streamVersion: Number(streamVersion),
  globalPosition: Number(globalPosition),
  type: type as string,
  data: JSON.parse(data as string) as Record<string, unknown>,
  schemaVersion: Number(schemaVersion),
});

/**
 * Rebuilds `consent_state` (and the erasures on the subjects' heads) from the log: after a
 * projection bug, a restore, or a change to how state is derived. Each subject stream is read in
 * stream order and folded by the domain's evolveSubject, the fold every append uses, so a rebuild
 * can never disagree with the incrementally kept snapshot.
 *
 * Two connections work at once: one reads the log with COPY TO, Node folds it, and the other loads
 * the folded records with one COPY FROM into consent_state, emptied in the loading transaction. Each
 * subject is written as soon as its stream is folded, so memory holds one subject, a block of rows
 * and the erased subjects' ids (their erasures go onto the stream heads after the COPY).
 *
 * Safe next to live appends: the loading transaction's TRUNCATE takes consent_state's ACCESS
 * EXCLUSIVE lock first, which waits for every append that already touched the projection to commit,
 * and blocks later appends (and checks) until the rebuild commits. Only then does that transaction
 * export its snapshot, which the reading transaction imports: the log is read as it was once the lock
 * was granted. Every event the snapshot cannot see belongs to an append still waiting on that lock,
 * which writes its own snapshot after the rebuild, so no event is lost or applied twice.
 */
export class ProjectionRebuilder {
  private readonly pool: Pool;

  /** The data source's pool must have two connections to spare. */
  constructor(
    dataSource: DataSource,
    private readonly gateway: ConsentStateGateway,
  ) {
    this.pool = pgPoolOf(dataSource);
  }

  rebuild(options: RebuildOptions = {}): Promise<RebuildReport> {
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    return this.transaction(async (writer) => {
      await this.gateway.truncate(writer);
      const [{ snapshot }] = (await writer.query<{ snapshot: string }>('SELECT pg_export_snapshot() AS snapshot')).rows;
      const copy = this.gateway.copyFolded(writer);
      const fold = new SubjectFold(copy);
      const report = await onConnection(
        this.pool,
        `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT ${escapeLiteral(snapshot)}`,
        (reader) => readLog(reader, batchSize, async (rows) => {
          for (const row of rows) fold.add(row);
          await copy.drained();
        }),
      );
      fold.finish();
      await copy.end();
      await this.gateway.restoreErasures(writer, fold.erased);
      return report;
    });
  }

  /**
   * The loading transaction: begun on a connection of its own, committed once `work` is done. A
   * subclass may run more statements in it, before and after the rebuild (`ledger rebuild --diff`).
   */
  protected transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return onConnection(this.pool, 'BEGIN', work);
  }
}

/**
 * Runs `work` on a pooled connection in the transaction `begin` opens, and commits. On any error the
 * connection is discarded rather than rolled back, since a COPY may still be open on it: closing it
 * ends its transaction.
 */
async function onConnection<T>(pool: Pool, begin: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A connection lost mid-transaction is also emitted as 'error', which would end the process
  // unhandled; the pending statement fails with it anyway.
  const onLost = (): void => undefined;
  client.on('error', onLost);
  let result: T;
  try {
    await client.query(begin);
    result = await work(client);
    await client.query('COMMIT');
  } catch (error) {
    client.removeListener('error', onLost);
    client.release(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
  client.removeListener('error', onLost);
  client.release();
  return result;
}

/** Reads every subject event in stream order, handing each chunk of rows to `onRows` before reading on. */
async function readLog(client: PoolClient, batchSize: number, onRows: (rows: LogRow[]) => Promise<void>): Promise<RebuildReport> {
  const report: RebuildReport = { events: 0, batches: 0 };
  // Keyset paging over the (stream_id, stream_version) unique index.
  let after = { streamId: SUBJECT_PREFIX, version: 0 };
  for (;;) {
    const stream = client.query(copyTo(
      `COPY (SELECT stream_id, stream_version, global_position, type, data, schema_version FROM events
             WHERE (stream_id, stream_version) > (${escapeLiteral(after.streamId)}, ${after.version})
               AND stream_id LIKE ${escapeLiteral(`${SUBJECT_PREFIX}%`)}
             ORDER BY stream_id, stream_version
             LIMIT ${batchSize}) TO STDOUT`,
    ));
    let read = 0;
    let last: LogRow | undefined;
    for await (const fields of copyRows(stream)) {
      const rows = fields.map(logRowOf);
      await onRows(rows);
      read += rows.length;
      last = rows[rows.length - 1];
    }
    if (last === undefined) break;
    report.events += read;
    report.batches += 1;
    after = { streamId: last.streamId, version: last.streamVersion };
    if (read < batchSize) break;
  }
  return report;
}

/** Folds one subject at a time, and hands each to the COPY once its stream is folded whole. */
class SubjectFold {
  private current: { state: SubjectState; positions: Map<number, number> } | undefined;
  readonly erased = new Map<string, string>();

  constructor(private readonly copy: FoldedStateCopy) {}

  add(row: LogRow): void {
    const subjectId = row.streamId.slice(SUBJECT_PREFIX.length);
    if (this.current?.state.subjectId !== subjectId) {
      this.close();
      this.current = { state: initialSubjectState(subjectId), positions: new Map() };
    }
    this.current.state = evolveSubject(this.current.state, decodeSubjectEvent({ type: row.type, data: row.data, schemaVersion: row.schemaVersion }));
    this.current.positions.set(row.streamVersion, row.globalPosition);
  }

  finish(): void {
    this.close();
  }

  private close(): void {
    if (!this.current) return;
    const { state, positions } = this.current;
    this.copy.write(Object.values(state.consents).map((record) => ({
      subjectId: state.subjectId,
      record,
      position: positions.get(record.streamVersion) as number,
    })));
    if (state.erasedAt !== null) this.erased.set(state.subjectId, state.erasedAt);
    this.current = undefined;
  }
}
