import type { Pool, PoolClient, QueryResult } from 'pg';
import { QueryFailedError } from 'typeorm';
import { SqlSession } from './sql-session';

/**
 * One transaction on a pooled pg connection. Errors are wrapped in TypeORM's QueryFailedError, as
 * when the store ran its transactions through TypeORM, so callers keep reading `driverError`.
 */
export class PgTransaction {
  /**
   * pg-pool listens for a client's 'error' only while it is idle in the pool: a connection lost while
   * a transaction holds it between two statements (the server shutting down, pg_terminate_backend)
   * would raise an unhandled 'error' event and end the process. The next statement fails instead.
   */
  private readonly onLost = (): void => undefined;

  private constructor(private readonly client: PoolClient) {
    client.on('error', this.onLost);
  }

  /**
   * Opens a transaction and runs `statements` in it, all in one round trip (the simple query
   * protocol, hence no parameters: values must be inlined with pg's escapeLiteral). Each statement
   * takes its own snapshot, so a read placed after a row lock sees every commit made before the
   * lock was granted. Returns each statement's rows.
   */
  static async open(pool: Pool, statements: readonly string[] = []): Promise<{ transaction: PgTransaction; rows: Record<string, unknown>[][] }> {
    const client = await pool.connect();
    const transaction = new PgTransaction(client);
    const text = ['BEGIN', ...statements].join(';\n');
    try {
      const results = (await transaction.run(text)) as QueryResult | QueryResult[];
      // pg answers one result for a single statement and an array for several.
      const all = Array.isArray(results) ? results : [results];
      return { transaction, rows: all.slice(1).map((result) => result.rows) };
    } catch (error) {
      await transaction.rollback();
      throw error;
    }
  }

  readonly query: SqlSession = async <T>(sql: string, params?: unknown[]): Promise<T[]> =>
    ((await this.run(sql, params)) as QueryResult).rows as T[];

  /** A connection whose COMMIT failed is discarded, not handed to the next transaction. */
  async commit(): Promise<void> {
    try {
      await this.run('COMMIT');
    } catch (error) {
      this.release(error);
      throw error;
    }
    this.release();
  }

  /** Rolls back and returns the connection; a connection that cannot even roll back is discarded. */
  async rollback(): Promise<void> {
    try {
      await this.client.query('ROLLBACK');
      this.release();
    } catch (error) {
      this.release(error);
    }
  }

  /** Back to the pool, or, after `error`, discarded. */
  private release(error?: unknown): void {
    this.client.removeListener('error', this.onLost);
    this.client.release(error === undefined ? undefined : error instanceof Error ? error : new Error(String(error)));
  }

  private async run(sql: string, params?: unknown[]): Promise<QueryResult | QueryResult[]> {
    try {
      return await this.client.query(sql, params);
    } catch (error) {
      throw new QueryFailedError(sql, params, error as Error);
    }
  }
}

/** Runs `work` in a transaction that `open` began, committing on success and rolling back on any error. */
export async function inTransaction<T>(transaction: PgTransaction, work: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await transaction.rollback();
    throw error;
  }
  await transaction.commit();
  return result;
}
