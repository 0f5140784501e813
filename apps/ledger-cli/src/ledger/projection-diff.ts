import { ConsentStateGateway, EventStore, PersonalDataCipher, ProjectionRebuilder, SqlSession } from '@consent-ledger/ledger-store';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';

export interface ProjectionDifference {
  subjectId: string;
  purposeId: string;
  live: Record<string, unknown> | null;
  rebuilt: Record<string, unknown> | null;
}

export interface ProjectionDiff {
  events: number;
  rows: number;
  differences: number;
  first: ProjectionDifference[];
}

const COLUMNS = ['status', 'purpose_version', 'since', 'expires_at', 'stream_version', 'position'];

/**
 * The rebuilder's transaction, in a session where a temporary `consent_state` (searched before
 * public) receives the rebuild: the live table is only read, appends are never blocked, and the
 * scratch table disappears at commit. REPEATABLE READ gives the log and the live table one snapshot,
 * so appends during the diff cannot show as differences.
 */
class ScratchProjectionStore extends EventStore {
  diff: ProjectionDiff | undefined;

  override transaction<T>(work: (query: SqlSession) => Promise<T>): Promise<T> {
    return super.transaction(async (query) => {
      await query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      await query('CREATE TEMPORARY TABLE consent_state (LIKE public.consent_state INCLUDING ALL) ON COMMIT DROP');
      // The rebuild also restores erasures on the stream heads: an empty scratch `streams` keeps the live heads untouched.
      await query('CREATE TEMPORARY TABLE streams (LIKE public.streams INCLUDING ALL) ON COMMIT DROP');
      const result = await work(query);
      const differing = `FROM public.consent_state live FULL JOIN pg_temp.consent_state rebuilt USING (subject_id, purpose_id)
        WHERE (${COLUMNS.map((c) => `live.${c}`).join(', ')}) IS DISTINCT FROM (${COLUMNS.map((c) => `rebuilt.${c}`).join(', ')})`;
      const [{ count }] = await query<{ count: string }>(`SELECT count(*) ${differing}`);
      const [{ rows }] = await query<{ rows: string }>('SELECT count(*) AS rows FROM pg_temp.consent_state');
      const first = await query<{ subject_id: string; purpose_id: string; live: Record<string, unknown> | null; rebuilt: Record<string, unknown> | null }>(
        `SELECT subject_id, purpose_id,
           CASE WHEN live.status IS NULL THEN NULL ELSE jsonb_build_object(${COLUMNS.map((c) => `'${c}', live.${c}`).join(', ')}) END AS live,
           CASE WHEN rebuilt.status IS NULL THEN NULL ELSE jsonb_build_object(${COLUMNS.map((c) => `'${c}', rebuilt.${c}`).join(', ')}) END AS rebuilt
         ${differing} ORDER BY subject_id, purpose_id LIMIT 20`,
      );
      this.diff = {
        events: 0, rows: Number(rows), differences: Number(count),
        first: first.map((row) => ({ subjectId: row.subject_id, purposeId: row.purpose_id, live: row.live, rebuilt: row.rebuilt })),
      };
      return result;
    });
  }
}

/** Rebuilds the state projection from the log with ProjectionRebuilder into a scratch table and compares it with the live one. */
export async function diffProjection(dataSource: DataSource): Promise<ProjectionDiff> {
  // The rebuild reads no personal field: the cipher's key is never used.
  const store = new ScratchProjectionStore(dataSource, new PersonalDataCipher(randomBytes(32)));
  const report = await new ProjectionRebuilder(store, new ConsentStateGateway(dataSource)).rebuild();
  return { ...(store.diff as ProjectionDiff), events: report.events };
}
