import { ConsentStateGateway, ProjectionRebuilder } from '@consent-ledger/ledger-store';
import type { PoolClient } from 'pg';
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
 * The rebuilder's loading transaction, in a session where a temporary `consent_state` (searched
 * before public) receives the rebuild: the live table is only read, appends are never blocked, and
 * the scratch table disappears at commit. REPEATABLE READ gives the live table one snapshot, the very
 * one the rebuild's reading connection imports for the log, so appends during the diff cannot show
 * as differences.
 */
class ScratchProjectionRebuilder extends ProjectionRebuilder {
  diff: ProjectionDiff | undefined;

  protected override transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return super.transaction(async (client) => {
      const query = async <R>(sql: string) => (await client.query(sql)).rows as R[];
      await query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      await query('CREATE TEMPORARY TABLE consent_state (LIKE public.consent_state INCLUDING ALL) ON COMMIT DROP');
      // The rebuild also restores erasures on the stream heads: an empty scratch `streams` keeps the live heads untouched.
      await query('CREATE TEMPORARY TABLE streams (LIKE public.streams INCLUDING ALL) ON COMMIT DROP');
      const result = await work(client);
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
  const rebuilder = new ScratchProjectionRebuilder(dataSource, new ConsentStateGateway(dataSource));
  const report = await rebuilder.rebuild();
  return { ...(rebuilder.diff as ProjectionDiff), events: report.events };
}
