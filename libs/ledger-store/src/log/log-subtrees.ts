import { StoredSubtree, SubtreeKey } from '@consent-ledger/transparency-log';
import { SqlSession } from '../events/sql-session';

/** The log_subtrees gateway: the hash of every complete subtree of the log (level 0: the leaf hashes). */
export const LogSubtrees = {
  /** The subtrees asked for, in the order asked. */
  async read(query: SqlSession, keys: SubtreeKey[]): Promise<StoredSubtree[]> {
    if (keys.length === 0) return [];
    const rows = await query<{ level: number; index: string; hash: Buffer }>(
      `SELECT s.level, s.index, s.hash FROM log_subtrees s
       JOIN unnest($1::smallint[], $2::bigint[]) WITH ORDINALITY AS k (level, index, n) ON k.level = s.level AND k.index = s.index
       ORDER BY k.n`,
      [keys.map((k) => k.level), keys.map((k) => k.index)],
    );
    return rows.map((row) => ({ level: row.level, index: Number(row.index), hash: row.hash }));
  },

  async insert(query: SqlSession, subtrees: StoredSubtree[]): Promise<void> {
    if (subtrees.length === 0) return;
    await query(
      'INSERT INTO log_subtrees (level, index, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])',
      [subtrees.map((s) => s.level), subtrees.map((s) => s.index), subtrees.map((s) => s.hash)],
    );
  },
};
