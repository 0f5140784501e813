import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { pgPoolOf } from '../events/pg-pool';
import { PgTransaction, inTransaction } from '../events/pg-transaction';

/** A processing service as registered: the purposes it processes and how fast it must enforce a denial. */
export interface RegisteredService {
  serviceId: string;
  name: string;
  purposes: string[];
  slaSeconds: number;
  registeredAt: string;
  updatedAt: string;
}

export interface ServiceRegistration {
  serviceId: string;
  name: string;
  purposes: readonly string[];
  slaSeconds: number;
}

interface ServiceRow {
  service_id: string;
  name: string;
  sla_seconds: number;
  registered_at: Date;
  updated_at: Date;
  purposes: string[];
}

const SELECT_SERVICES = `
  SELECT s.service_id, s.name, s.sla_seconds, s.registered_at, s.updated_at,
         COALESCE(array_agg(p.purpose_id ORDER BY p.purpose_id) FILTER (WHERE p.purpose_id IS NOT NULL), '{}') AS purposes
  FROM services s LEFT JOIN service_purposes p USING (service_id)`;

/**
 * `services` and `service_purposes`. A purpose a service takes on is dated (`since`): the service is
 * expected to enforce the denials recorded from then on, not the ones that happened before it existed.
 */
export class ServiceRegistry {
  constructor(private readonly dataSource: DataSource) {}

  private get pool(): Pool {
    return pgPoolOf(this.dataSource);
  }

  /** Creates or replaces a registration; `created` is true for a new service. */
  async register(registration: ServiceRegistration, now: Date): Promise<{ created: boolean; service: RegisteredService }> {
    const { transaction } = await PgTransaction.open(this.pool);
    return inTransaction(transaction, async () => {
      const [{ created }] = await transaction.query<{ created: boolean }>(
        `INSERT INTO services (service_id, name, sla_seconds, registered_at, updated_at) VALUES ($1, $2, $3, $4, $4)
         ON CONFLICT (service_id) DO UPDATE SET name = EXCLUDED.name, sla_seconds = EXCLUDED.sla_seconds, updated_at = EXCLUDED.updated_at
         RETURNING (xmax = 0) AS created`,
        [registration.serviceId, registration.name, registration.slaSeconds, now],
      );
      await transaction.query(`DELETE FROM service_purposes WHERE service_id = $1 AND NOT (purpose_id = ANY($2::text[]))`, [
        registration.serviceId,
        registration.purposes,
      ]);
      // A purpose kept keeps its date: re-registering must not forgive what was already overdue.
      await transaction.query(
        `INSERT INTO service_purposes (service_id, purpose_id, since) SELECT $1, unnest($2::text[]), $3
         ON CONFLICT (service_id, purpose_id) DO NOTHING`,
        [registration.serviceId, registration.purposes, now],
      );
      const [row] = await transaction.query<ServiceRow>(`${SELECT_SERVICES} WHERE s.service_id = $1 GROUP BY s.service_id`, [
        registration.serviceId,
      ]);
      return { created, service: toService(row) };
    });
  }

  async get(serviceId: string): Promise<RegisteredService | null> {
    const { rows } = await this.pool.query<ServiceRow>(`${SELECT_SERVICES} WHERE s.service_id = $1 GROUP BY s.service_id`, [serviceId]);
    return rows.length === 0 ? null : toService(rows[0]);
  }

  async list(): Promise<RegisteredService[]> {
    const { rows } = await this.pool.query<ServiceRow>(`${SELECT_SERVICES} GROUP BY s.service_id ORDER BY s.service_id`);
    return rows.map(toService);
  }
}

const toService = (row: ServiceRow): RegisteredService => ({
  serviceId: row.service_id,
  name: row.name,
  purposes: row.purposes,
  slaSeconds: row.sla_seconds,
  registeredAt: row.registered_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});
