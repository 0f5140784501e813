import type { Pool } from 'pg';
import { SqlSession } from '../events/sql-session';

/** A stream's wrapped data key, as the rotation reads it under the row lock. */
export interface WrappedDataKeyRow {
  streamId: string;
  wrappedKey: Buffer;
}

/**
 * The data-key column of `streams` (the key table): rewrapping on master key rotation, and the VACUUM
 * that removes the dead row versions still holding shredded keys (an erasure's own append destroys the
 * key: append_subject_batch). Every write here runs under the stream's row lock, which an append's
 * head update also takes, so no writer ever loses a key.
 */
export class DataKeyTable {
  /** The next `limit` streams holding a key, after `afterStreamId`, without locking them. */
  static async streamsWithKeys(pool: Pool, afterStreamId: string, limit: number): Promise<string[]> {
    const { rows } = await pool.query<{ stream_id: string }>(
      `SELECT stream_id FROM streams WHERE stream_id > $1 AND data_key IS NOT NULL ORDER BY stream_id LIMIT $2`,
      [afterStreamId, limit],
    );
    return rows.map((row) => row.stream_id);
  }

  /**
   * Locks the streams' rows (in stream order, as a writer would lock one) and returns the keys they
   * still hold once locked: a key shredded meanwhile is no longer there to rewrap.
   */
  static async lockKeys(query: SqlSession, streamIds: readonly string[]): Promise<WrappedDataKeyRow[]> {
    const rows = await query<{ stream_id: string; data_key: Buffer }>(
      `SELECT stream_id, data_key FROM streams WHERE stream_id = ANY($1::text[]) AND data_key IS NOT NULL
       ORDER BY stream_id FOR UPDATE`,
      [streamIds],
    );
    return rows.map((row) => ({ streamId: row.stream_id, wrappedKey: row.data_key }));
  }

  static async replaceKeys(query: SqlSession, keys: readonly WrappedDataKeyRow[]): Promise<void> {
    if (keys.length === 0) return;
    await query(
      `UPDATE streams s SET data_key = k.data_key
       FROM unnest($1::text[], $2::bytea[]) AS k(stream_id, data_key) WHERE s.stream_id = k.stream_id`,
      [keys.map((k) => k.streamId), keys.map((k) => k.wrappedKey)],
    );
  }

  /**
   * VACUUM cannot run inside a transaction: called after the erasure committed. It removes the dead
   * row versions that still hold the shredded key (unless an older snapshot still needs them).
   */
  static async vacuum(pool: Pool): Promise<void> {
    await pool.query('VACUUM streams');
  }
}
