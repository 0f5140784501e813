import { DataSource } from 'typeorm';
import { ledgerDataSourceOptions } from './data-source-options';

/**
 * Runs the pending migrations once and returns their names, each in its own transaction. This is what
 * a deployment's migration job calls before the rollout, so that replicas started with
 * MIGRATIONS_AUTO=false never race on the schema.
 */
export async function migrateLedgerSchema(url: string): Promise<string[]> {
  const dataSource = await new DataSource(ledgerDataSourceOptions(url, 1, false)).initialize();
  try {
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    return ran.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}

/** True when the database lacks a migration this build knows. */
export function hasPendingLedgerMigrations(dataSource: DataSource): Promise<boolean> {
  return dataSource.showMigrations();
}
