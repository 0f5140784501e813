import type { BenchOptions } from './bench-options';
import type { BenchPostgres } from './bench-postgres';
import type { ServiceOptions, ServiceProcess } from './service-process';
import type { StateFixture } from './state-fixture';

/** What run.ts sets up once and every figure shares. */
export interface BenchContext {
  options: BenchOptions;
  postgres: BenchPostgres;
  /** The in-repo broker, host:port. */
  kafkaBrokers: string;
  /** The ledger database behind the HTTP figures, seeded with the state fixture. */
  ledger: { url: string; fixture: StateFixture };
  /** The service over `ledger` with the relay off, started on first use and shared by the HTTP figures. */
  service(): Promise<ServiceProcess>;
  /** A service of the figure's own (another database, the relay on); the caller stops it. */
  startService(options: Pick<ServiceOptions, 'databaseUrl' | 'relay' | 'env'> & { name: string }): Promise<ServiceProcess>;
  log(line: string): void;
}
