import { SqlSession } from '../events/sql-session';

export interface StoredCheckpoint {
  treeSize: number;
  rootHash: Buffer;
  /** The signed note, verbatim. */
  note: string;
  signedAt: string;
}

interface CheckpointRow {
  tree_size: string;
  root_hash: Buffer;
  note: string;
  signed_at: Date;
}

const COLUMNS = 'tree_size, root_hash, note, signed_at';
const toCheckpoint = (row: CheckpointRow): StoredCheckpoint => ({
  treeSize: Number(row.tree_size), rootHash: row.root_hash, note: row.note, signedAt: row.signed_at.toISOString(),
});

/** The log_checkpoints gateway: every signed checkpoint, by tree size. */
export const LogCheckpoints = {
  async latest(query: SqlSession): Promise<StoredCheckpoint | null> {
    const [row] = await query<CheckpointRow>(`SELECT ${COLUMNS} FROM log_checkpoints ORDER BY tree_size DESC LIMIT 1`);
    return row ? toCheckpoint(row) : null;
  },

  async ofSize(query: SqlSession, treeSize: number): Promise<StoredCheckpoint | null> {
    const [row] = await query<CheckpointRow>(`SELECT ${COLUMNS} FROM log_checkpoints WHERE tree_size = $1`, [treeSize]);
    return row ? toCheckpoint(row) : null;
  },

  async insert(query: SqlSession, checkpoint: Omit<StoredCheckpoint, 'signedAt'>): Promise<void> {
    await query('INSERT INTO log_checkpoints (tree_size, root_hash, note) VALUES ($1, $2, $3)', [
      checkpoint.treeSize, checkpoint.rootHash, checkpoint.note,
    ]);
  },
};
