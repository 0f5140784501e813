import { SubjectState, evolveSubject, initialSubjectState, subjectStreamId } from '@consent-ledger/domain';
import { decodeSubjectEvent } from '../events/event-codec';
import { EventStore } from '../events/event-store';
import { SqlSession } from '../events/sql-session';
import { ConsentStateGateway, SnapshotRecord } from './consent-state-gateway';

export interface RebuildOptions {
  /** Events read per round trip. */
  batchSize?: number;
  /**
   * Folded (subject, purpose) records held in memory before they are written (a few hundred bytes
   * each). Subjects are folded whole, so they are written at a subject boundary once this many wait.
   */
  maxPendingRecords?: number;
}

export interface RebuildReport {
  /** Subject events replayed. */
  events: number;
  batches: number;
}

interface LogRow {
  stream_id: string;
  stream_version: number;
  global_position: string;
  type: string;
  data: Record<string, unknown>;
  schema_version: number;
}

/** Large enough that round trips stop mattering, small enough to keep a batch's rows in a few MB. */
const DEFAULT_BATCH_SIZE = 20_000;
/** About 100-200 MB of Node memory at most. */
const DEFAULT_MAX_PENDING_RECORDS = 500_000;

const SUBJECT_PREFIX = subjectStreamId('');

/**
 * Rebuilds `consent_state` (and the erasures on the subjects' heads) from the log: after a
 * projection bug, a restore, or a change to how state is derived. Each subject stream is read in
 * stream order and folded by the domain's evolveSubject, the fold every append uses, so a rebuild
 * can never disagree with the incrementally kept snapshot.
 *
 * It runs in one transaction. TRUNCATE takes consent_state's ACCESS EXCLUSIVE lock first, which
 * waits for every append that already touched the projection to commit, and blocks later appends
 * (and checks) until the rebuild commits. Every event the rebuild's statements cannot see belongs
 * to an append still waiting on that lock, which writes its own snapshot after the rebuild, so no
 * event is lost or applied twice.
 */
export class ProjectionRebuilder {
  constructor(
    private readonly store: EventStore,
    private readonly gateway: ConsentStateGateway,
  ) {}

  rebuild(options: RebuildOptions = {}): Promise<RebuildReport> {
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    const maxPending = options.maxPendingRecords ?? DEFAULT_MAX_PENDING_RECORDS;
    return this.store.transaction(async (query) => {
      await this.gateway.truncate(query);
      const report: RebuildReport = { events: 0, batches: 0 };
      const fold = new SubjectFold();
      // Keyset paging in stream order over the (stream_id, stream_version) unique index.
      let after = { streamId: SUBJECT_PREFIX, version: 0 };
      for (;;) {
        const rows = await query<LogRow>(
          `SELECT stream_id, stream_version, global_position, type, data, schema_version FROM events
           WHERE (stream_id, stream_version) > ($1, $2) AND stream_id LIKE $3
           ORDER BY stream_id, stream_version
           LIMIT $4`,
          [after.streamId, after.version, `${SUBJECT_PREFIX}%`, batchSize],
        );
        if (rows.length === 0) break;
        for (const row of rows) {
          fold.add(row);
          if (fold.pendingRecords >= maxPending) await fold.flush(query, this.gateway);
        }
        report.events += rows.length;
        report.batches += 1;
        const last = rows[rows.length - 1];
        after = { streamId: last.stream_id, version: last.stream_version };
        if (rows.length < batchSize) break;
      }
      await fold.finish(query, this.gateway);
      return report;
    });
  }
}

/** Folds one subject at a time; subjects already folded wait in `done` until written. */
class SubjectFold {
  private current: { state: SubjectState; positions: Map<number, number> } | undefined;
  private done: SnapshotRecord[] = [];
  private erased = new Map<string, string>();

  get pendingRecords(): number {
    return this.done.length;
  }

  add(row: LogRow): void {
    const subjectId = row.stream_id.slice(SUBJECT_PREFIX.length);
    if (this.current?.state.subjectId !== subjectId) {
      this.close();
      this.current = { state: initialSubjectState(subjectId), positions: new Map() };
    }
    this.current.state = evolveSubject(this.current.state, decodeSubjectEvent({ type: row.type, data: row.data, schemaVersion: row.schema_version }));
    this.current.positions.set(row.stream_version, Number(row.global_position));
  }

  /** Writes the subjects folded whole so far; the one being folded stays. */
  async flush(query: SqlSession, gateway: ConsentStateGateway): Promise<void> {
    await gateway.insertFolded(query, this.done, this.erased);
    this.done = [];
    this.erased = new Map();
  }

  async finish(query: SqlSession, gateway: ConsentStateGateway): Promise<void> {
    this.close();
    await this.flush(query, gateway);
  }

  private close(): void {
    if (!this.current) return;
    const { state, positions } = this.current;
    for (const record of Object.values(state.consents)) {
      this.done.push({ subjectId: state.subjectId, record, position: positions.get(record.streamVersion) as number });
    }
    if (state.erasedAt !== null) this.erased.set(state.subjectId, state.erasedAt);
    this.current = undefined;
  }
}
