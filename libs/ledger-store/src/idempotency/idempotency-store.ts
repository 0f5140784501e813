import { hash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { pgPoolOf } from '../events/pg-pool';

export interface StoredResponse {
  requestHash: string;
  statusCode: number;
  body: unknown;
}

/**
 * The first response to each (scope, Idempotency-Key), saved in the transaction that did the
 * work: a retry after a crash either finds the response or finds nothing was written. Keys are
 * stored as their SHA-256: callers choose them, and some put personal data in them.
 */
export class IdempotencyStore {
  constructor(private readonly dataSource: DataSource) {}

  async find(scope: string, key: string): Promise<StoredResponse | null> {
    const [row] = await this.dataSource.query(
      `SELECT request_hash, status_code, response FROM idempotency_keys WHERE scope = $1 AND key = $2`,
      [scope, idempotencyKeyDigest(key)],
    );
    return row ? { requestHash: row.request_hash, statusCode: row.status_code, body: row.response } : null;
  }

  /**
   * Drops the records created before `cutoff` (retention), in bounded batches so that no statement
   * holds many row locks for long. Returns how many were dropped.
   */
  async deleteCreatedBefore(cutoff: Date, batchSize = 10_000): Promise<number> {
    let dropped = 0;
    for (;;) {
      const { rowCount } = await pgPoolOf(this.dataSource).query(
        `DELETE FROM idempotency_keys WHERE ctid = ANY (ARRAY(
           SELECT ctid FROM idempotency_keys WHERE created_at < $1 LIMIT $2))`,
        [cutoff, batchSize],
      );
      const count = rowCount ?? 0;
      dropped += count;
      if (count < batchSize) return dropped;
    }
  }
}

/** What the table keeps of a key (its records are written with the append they answer: append_subject_batch). */
export const idempotencyKeyDigest = (key: string): string => hash('sha256', key, 'hex');
