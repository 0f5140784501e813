import { ConsentRecord, PurposeChoiceEvent, SubjectEvent, recordOf, supersedes } from '@consent-ledger/domain';
import { SqlSession } from '../events/sql-session';
import { StoredEvent } from '../events/stored-event';

interface ProjectedRow {
  subjectId: string;
  record: ConsentRecord;
  position: number;
}

/**
 * Keeps `consent_state` (one row per subject and purpose) in step with the log, inside the
 * append's transaction, so a check right after a 201 already sees the new state. A row is replaced
 * only by a record that supersedes it in (occurredAt, stream order): an old consent imported late
 * never overrides a later withdrawal.
 */
export class ConsentProjection {
  async apply(query: SqlSession, events: readonly StoredEvent[]): Promise<void> {
    const rows = latestPerSubjectAndPurpose(events);
    if (rows.length === 0) return;
    await query(
      `INSERT INTO consent_state AS s (subject_id, purpose_id, status, purpose_version, since, expires_at, stream_version, position)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::timestamptz[], $6::timestamptz[], $7::int[], $8::bigint[])
       ON CONFLICT (subject_id, purpose_id) DO UPDATE SET
         status = EXCLUDED.status, purpose_version = EXCLUDED.purpose_version, since = EXCLUDED.since,
         expires_at = EXCLUDED.expires_at, stream_version = EXCLUDED.stream_version, position = EXCLUDED.position
       WHERE (s.since, s.stream_version) <= (EXCLUDED.since, EXCLUDED.stream_version)`,
      [
        rows.map((r) => r.subjectId),
        rows.map((r) => r.record.purpose),
        rows.map((r) => r.record.status),
        rows.map((r) => r.record.purposeVersion),
        rows.map((r) => r.record.since),
        rows.map((r) => r.record.expiresAt),
        rows.map((r) => r.record.streamVersion),
        rows.map((r) => r.position),
      ],
    );
  }
}

/** Postgres refuses to upsert one row twice in a statement, so a batch is folded per key first. */
function latestPerSubjectAndPurpose(events: readonly StoredEvent[]): ProjectedRow[] {
  const latest = new Map<string, ProjectedRow>();
  for (const event of events) {
    const domainEvent = event.data as unknown as SubjectEvent;
    if (!isPurposeChoice(domainEvent)) continue;
    const record = recordOf(domainEvent, event.streamVersion);
    const key = `${domainEvent.subjectId}\u0000${record.purpose}`;
    if (supersedes(record, latest.get(key)?.record)) {
      latest.set(key, { subjectId: domainEvent.subjectId, record, position: event.position });
    }
  }
  return [...latest.values()];
}

const isPurposeChoice = (event: SubjectEvent): event is PurposeChoiceEvent => event.type !== 'SubjectErased';
