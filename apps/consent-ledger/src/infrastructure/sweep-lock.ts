import type { Pool } from 'pg';

/**
 * A session-level advisory lock taken for the duration of one piece of work, on a pooled connection it
 * keeps meanwhile: at most one holder across every instance, and Postgres releases it if the holder's
 * process or connection dies. Returns undefined, without running `work`, when another session holds it.
 */
export async function whileHoldingLock<T>(pool: Pool, name: string, work: () => Promise<T>): Promise<T | undefined> {
  const client = await pool.connect();
  let healthy = true;
  try {
    const { rows } = await client.query<{ acquired: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS acquired', [name]);
    if (!rows[0]?.acquired) return undefined;
    try {
      return await work();
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [name]).catch(() => {
        // A session that cannot unlock must not go back to the pool still holding the lock.
        healthy = false;
      });
    }
  } finally {
    client.release(healthy ? undefined : new Error('advisory unlock failed'));
  }
}
