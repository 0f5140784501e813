import type { Pool } from 'pg';
import { DataSource } from 'typeorm';

/**
 * The pg pool behind a TypeORM data source. The store's hot paths (appends, checks) use it
 * directly: TypeORM adds nothing they need, and its query runner can neither send several
 * statements in one round trip nor reuse prepared statements.
 */
export function pgPoolOf(dataSource: DataSource): Pool {
  const pool = (dataSource.driver as unknown as { master?: Pool }).master;
  if (!pool) throw new Error('the data source is not a connected Postgres data source');
  return pool;
}
