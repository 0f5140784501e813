import { subjectStreamId } from '@consent-ledger/domain';
import { EventStore } from '../events/event-store';
import { ConsentProjection, LatestRecords, ProjectableEvent } from './consent-projection';

export interface RebuildOptions {
  /** Events read per round trip. */
  batchSize?: number;
  /**
   * Folded (subject, purpose) records held in memory before they are written (a few hundred
   * bytes each). Up to this many, each is written once; beyond it the fold is written and
   * started again, and later batches supersede through the upsert's rule, as appends do.
   */
  maxPendingRecords?: number;
}

export interface RebuildReport {
  /** Subject events replayed. */
  events: number;
  batches: number;
}

interface LogRow {
  cursor_xid: string;
  global_position: string;
  stream_version: number;
  data: Record<string, unknown>;
}

/** Large enough that round trips stop mattering, small enough to keep a batch's rows in a few MB. */
const DEFAULT_BATCH_SIZE = 20_000;
/** About 100-200 MB of Node memory at most. */
const DEFAULT_MAX_PENDING_RECORDS = 500_000;

/** Purpose streams share the log; only subject streams feed consent_state. */
const SUBJECT_STREAMS = `${subjectStreamId('')}%`;

/**
 * Rebuilds `consent_state` from the log: after a projection bug, a restore, or a change to how
 * state is derived. Events are folded and written by ConsentProjection's own LatestRecords and
 * upsert, the code that maintains the table on every append, so a rebuild can never disagree with
 * the incremental projection.
 *
 * It runs in one transaction. TRUNCATE takes consent_state's ACCESS EXCLUSIVE lock first, which
 * waits for every append that already touched the projection to commit, and blocks later appends
 * (and checks) until the rebuild commits. Every event the rebuild's statements cannot see belongs
 * to an append still waiting on that lock, which projects its own events after the rebuild, so no
 * event is lost or applied twice. That is also why there is no `pg_snapshot_xmin` bound here, as
 * there is for feed readers: the bound would hide events committed before the TRUNCATE whenever a
 * blocked append holds an older transaction id.
 */
export class ProjectionRebuilder {
  constructor(
    private readonly store: EventStore,
    private readonly projection: ConsentProjection = new ConsentProjection(),
  ) {}

  rebuild(options: RebuildOptions = {}): Promise<RebuildReport> {
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    const maxPending = options.maxPendingRecords ?? DEFAULT_MAX_PENDING_RECORDS;
    return this.store.transaction(async (query) => {
      await query(`TRUNCATE consent_state`);
      const report: RebuildReport = { events: 0, batches: 0 };
      const latest = new LatestRecords<ProjectableEvent>();
      let written = false;
      // Keyset paging in commit order over events_commit_order: each batch is one index range scan.
      let after = { transactionId: '0', position: '0' };
      for (;;) {
        // The cursor's text column has its own name: ORDER BY an output column named
        // transaction_id would sort the text, where '10' < '9', and skip events.
        const rows = await query<LogRow>(
          `SELECT transaction_id::text AS cursor_xid, global_position, stream_version, data
           FROM events
           WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint) AND stream_id LIKE $3
           ORDER BY events.transaction_id, events.global_position
           LIMIT $4`,
          [after.transactionId, after.position, SUBJECT_STREAMS, batchSize],
        );
        if (rows.length === 0) break;
        latest.add(rows.map(toProjectable));
        if (latest.size >= maxPending) {
          await this.projection.write(query, latest, written ? 'projection' : 'empty table');
          written = true;
          latest.clear();
        }
        report.events += rows.length;
        report.batches += 1;
        const last = rows[rows.length - 1];
        after = { transactionId: last.cursor_xid, position: last.global_position };
        if (rows.length < batchSize) break;
      }
      await this.projection.write(query, latest, written ? 'projection' : 'empty table');
      return report;
    });
  }
}

function toProjectable(row: LogRow): ProjectableEvent {
  return { data: row.data, streamVersion: row.stream_version, position: Number(row.global_position) };
}
