import { SqlSession } from '../events/sql-session';

/** A sealed event's place in the transparency log. */
export interface LogLeaf {
  leafIndex: number;
  eventId: string;
  position: number;
}

interface LeafRow {
  leaf_index: string;
  event_id: string;
  global_position: string;
}

const toLeaf = (row: LeafRow): LogLeaf => ({ leafIndex: Number(row.leaf_index), eventId: row.event_id, position: Number(row.global_position) });

/** The log_leaves gateway: which event each leaf index seals. */
export const LogLeaves = {
  async last(query: SqlSession): Promise<LogLeaf | null> {
    const [row] = await query<LeafRow>('SELECT leaf_index, event_id, global_position FROM log_leaves ORDER BY leaf_index DESC LIMIT 1');
    return row ? toLeaf(row) : null;
  },

  /** Leaves in index order; the transaction id is copied from the event so the commit order stays on record. */
  async insert(query: SqlSession, leaves: LogLeaf[]): Promise<void> {
    if (leaves.length === 0) return;
    await query(
      `INSERT INTO log_leaves (leaf_index, event_id, global_position, transaction_id)
       SELECT l.leaf_index, l.event_id, l.global_position, e.transaction_id
       FROM unnest($1::bigint[], $2::uuid[], $3::bigint[]) AS l (leaf_index, event_id, global_position)
       JOIN events e ON e.global_position = l.global_position`,
      [leaves.map((l) => l.leafIndex), leaves.map((l) => l.eventId), leaves.map((l) => l.position)],
    );
  },

  async ofEvents(query: SqlSession, eventIds: string[]): Promise<LogLeaf[]> {
    const rows = await query<LeafRow>(
      'SELECT leaf_index, event_id, global_position FROM log_leaves WHERE event_id = ANY($1::uuid[])',
      [eventIds],
    );
    return rows.map(toLeaf);
  },

  /** A page of leaves in index order, from `from` on. */
  async page(query: SqlSession, from: number, limit: number): Promise<LogLeaf[]> {
    const rows = await query<LeafRow>(
      'SELECT leaf_index, event_id, global_position FROM log_leaves WHERE leaf_index >= $1 ORDER BY leaf_index LIMIT $2',
      [from, limit],
    );
    return rows.map(toLeaf);
  },
};
