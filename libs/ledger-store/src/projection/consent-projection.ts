import { ConsentRecord, PurposeChoiceEvent, SubjectEvent, recordOf, supersedes } from '@consent-ledger/domain';
import { AppendCompanion, PendingEvent } from '../events/append-companion';
import { SqlSession } from '../events/sql-session';
import { StoredEvent } from '../events/stored-event';

/** What the projection reads of a stored event; a rebuild fetches no more than this from the log. */
export type ProjectableEvent = Pick<StoredEvent, 'data' | 'streamVersion' | 'position'>;

/** Only what is written: a fold of a million events must not keep a million event payloads alive. */
interface ProjectedRow {
  subjectId: string;
  record: ConsentRecord;
  /** The event's global position, once it has one (events already in the log). */
  position?: number;
  /** The event's id (events being appended, whose position the insert assigns). */
  eventId?: string;
}

type FoldedEvent = Pick<StoredEvent, 'data' | 'streamVersion'> & { position?: number; eventId?: string };

/** Rows per upsert statement: keeps each statement's parameters to a few MB. */
const WRITE_CHUNK = 50_000;

const COLUMNS = 'subject_id, purpose_id, status, purpose_version, since, expires_at, stream_version, position';

/** A row is replaced only by a record that supersedes it, the rule of the domain's `supersedes`. */
const UPSERT = `ON CONFLICT (subject_id, purpose_id) DO UPDATE SET
  status = EXCLUDED.status, purpose_version = EXCLUDED.purpose_version, since = EXCLUDED.since,
  expires_at = EXCLUDED.expires_at, stream_version = EXCLUDED.stream_version, position = EXCLUDED.position
  WHERE (s.since, s.stream_version) <= (EXCLUDED.since, EXCLUDED.stream_version)`;

/**
 * Keeps `consent_state` (one row per subject and purpose) in step with the log, inside the
 * append's transaction, so a check right after a 201 already sees the new state. A row is replaced
 * only by a record that supersedes it in (occurredAt, stream order): an old consent imported late
 * never overrides a later withdrawal.
 */
export class ConsentProjection {
  /** Projects events already in the log. */
  async apply(query: SqlSession, events: readonly ProjectableEvent[]): Promise<void> {
    const latest = new LatestRecords<ProjectableEvent>();
    latest.add(events);
    await this.write(query, latest);
  }

  /**
   * Upserts the folded records, in statements of at most WRITE_CHUNK rows. A rebuild folds many
   * batches of the log into one LatestRecords before writing it: each (subject, purpose) is then
   * written once instead of once per batch it appears in.
   */
  async write(query: SqlSession, latest: LatestRecords<ProjectableEvent>, into: 'empty table' | 'projection' = 'projection'): Promise<void> {
    const rows = latest.rows();
    // Into a table its own transaction emptied, each folded key is new: a plain insert does what
    // the upsert would, without probing for conflicts.
    const onConflict = into === 'empty table' ? '' : UPSERT;
    for (let from = 0; from < rows.length; from += WRITE_CHUNK) {
      const chunk = rows.slice(from, from + WRITE_CHUNK);
      await query(
        `INSERT INTO consent_state AS s (${COLUMNS})
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::timestamptz[], $6::timestamptz[], $7::int[], $8::bigint[])
         ${onConflict}`,
        [...recordColumns(chunk), chunk.map((r) => r.position)],
      );
    }
  }

  /**
   * Projects events being appended, within the append's own statement (no round trip of its
   * own): the same fold and upsert as `apply`, with each event's global position taken from the
   * inserted row.
   */
  companion(events: readonly PendingEvent[]): AppendCompanion | undefined {
    const latest = new LatestRecords<PendingEvent>();
    latest.add(events);
    const rows = latest.rows();
    if (rows.length === 0) return undefined;
    return {
      sql: (n) => `INSERT INTO consent_state AS s (${COLUMNS})
        SELECT p.subject_id, p.purpose_id, p.status, p.purpose_version, p.since, p.expires_at, p.stream_version, a.global_position
        FROM unnest($${n}::text[], $${n + 1}::text[], $${n + 2}::text[], $${n + 3}::int[], $${n + 4}::timestamptz[],
                    $${n + 5}::timestamptz[], $${n + 6}::int[], $${n + 7}::uuid[])
             AS p(subject_id, purpose_id, status, purpose_version, since, expires_at, stream_version, event_id)
        JOIN appended a ON a.event_id = p.event_id
        ${UPSERT}`,
      params: [...recordColumns(rows), rows.map((r) => r.eventId)],
    };
  }
}

function recordColumns(rows: readonly ProjectedRow[]): unknown[][] {
  return [
    rows.map((r) => r.subjectId),
    rows.map((r) => r.record.purpose),
    rows.map((r) => r.record.status),
    rows.map((r) => r.record.purposeVersion),
    rows.map((r) => r.record.since),
    rows.map((r) => r.record.expiresAt),
    rows.map((r) => r.record.streamVersion),
  ];
}

/**
 * The latest record per (subject, purpose) among the events added, by the domain's `supersedes`
 * rule. Postgres refuses to upsert one row twice in a statement, so events are always folded per
 * key before they are written.
 */
export class LatestRecords<E extends FoldedEvent> {
  private readonly latest = new Map<string, ProjectedRow>();

  /** Distinct (subject, purpose) pairs held. */
  get size(): number {
    return this.latest.size;
  }

  add(events: readonly E[]): void {
    for (const event of events) {
      const domainEvent = event.data as unknown as SubjectEvent;
      if (!isPurposeChoice(domainEvent)) continue;
      const record = recordOf(domainEvent, event.streamVersion);
      const key = `${domainEvent.subjectId}\u0000${record.purpose}`;
      if (supersedes(record, this.latest.get(key)?.record)) {
        this.latest.set(key, { subjectId: domainEvent.subjectId, record, position: event.position, eventId: event.eventId });
      }
    }
  }

  rows(): ProjectedRow[] {
    return [...this.latest.values()];
  }

  clear(): void {
    this.latest.clear();
  }
}

const isPurposeChoice = (event: SubjectEvent): event is PurposeChoiceEvent => event.type !== 'SubjectErased';
