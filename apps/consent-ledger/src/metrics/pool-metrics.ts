import type { Pool } from 'pg';
import { Gauge, Registry, register } from 'prom-client';

/**
 * The pg pool's connections, read at scrape time (nothing on the hot path). `waiting` above zero
 * means requests queue for a connection: raise the pool size or add replicas.
 */
export function registerPoolMetrics(pool: Pool, registry: Registry = register): () => void {
  const gauges = [
    ['consent_ledger_db_pool_connections', 'Connections the pg pool holds, idle or busy', () => pool.totalCount],
    ['consent_ledger_db_pool_idle_connections', 'Connections of the pg pool waiting for a query', () => pool.idleCount],
    ['consent_ledger_db_pool_waiting_requests', 'Queries waiting for a free connection of the pg pool', () => pool.waitingCount],
  ] as const;
  // Several apps in one process (tests) share the default registry: the last pool wins.
  for (const [name] of gauges) registry.removeSingleMetric(name);
  const registered = gauges.map(([name, help, read]) =>
    [name, new Gauge({ name, help, registers: [registry], collect() { this.set(read()); } })] as const,
  );
  return () => {
    for (const [name, gauge] of registered) if (registry.getSingleMetric(name) === gauge) registry.removeSingleMetric(name);
  };
}
