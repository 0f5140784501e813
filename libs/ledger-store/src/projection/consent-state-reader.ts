import { ConsentRecord, ConsentStatus, SubjectState, subjectStreamId } from '@consent-ledger/domain';
import { escapeLiteral } from 'pg';
import { ReadUnderLock } from '../events/read-under-lock';
import { SqlSession } from '../events/sql-session';

interface StateRow {
  version: number | null;
  erased_at: Date | null;
  purpose_id: string | null;
  status: ConsentStatus | null;
  purpose_version: number | null;
  since: Date | null;
  expires_at: Date | null;
  stream_version: number | null;
}

export interface SubjectSnapshot {
  state: SubjectState;
  exists: boolean;
}

const stateSql = (subjectId: string, streamId: string) =>
  `SELECT st.version, st.erased_at, cs.purpose_id, cs.status, cs.purpose_version, cs.since, cs.expires_at, cs.stream_version
   FROM (SELECT 1) AS one
   LEFT JOIN streams st ON st.stream_id = ${streamId}
   LEFT JOIN consent_state cs ON cs.subject_id = ${subjectId}`;

/** The current subject state, read from the projection instead of folding the whole stream. */
export async function readSubjectState(query: SqlSession, subjectId: string): Promise<SubjectSnapshot> {
  const rows = await query<StateRow>(stateSql('$1', '$2'), [subjectId, subjectStreamId(subjectId)]);
  return snapshotOf(subjectId, rows);
}

/** The same read, made to travel with the stream lock (EventStore.withStream) instead of after it. */
export function subjectStateUnderLock(subjectId: string): ReadUnderLock<SubjectSnapshot> {
  return {
    sql: stateSql(escapeLiteral(subjectId), escapeLiteral(subjectStreamId(subjectId))),
    parse: (rows) => snapshotOf(subjectId, rows as unknown as StateRow[]),
  };
}

function snapshotOf(subjectId: string, rows: StateRow[]): SubjectSnapshot {
  const consents: Record<string, ConsentRecord> = {};
  for (const row of rows) {
    if (row.purpose_id === null) continue;
    consents[row.purpose_id] = {
      purpose: row.purpose_id,
      status: row.status as ConsentStatus,
      purposeVersion: row.purpose_version as number,
      since: (row.since as Date).toISOString(),
      expiresAt: row.expires_at?.toISOString() ?? null,
      streamVersion: row.stream_version as number,
    };
  }
  const head = rows[0];
  return {
    exists: (head?.version ?? 0) > 0,
    state: { subjectId, version: head?.version ?? 0, erasedAt: head?.erased_at?.toISOString() ?? null, consents },
  };
}
