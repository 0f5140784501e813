import { MigrationInterface, QueryRunner } from 'typeorm';
import { appendOnly } from './1765300000000-transparency-log';

/**
 * Closed-loop enforcement: the processing services, which purposes each one processes (and since when:
 * a service is expected to enforce only what was recorded after it took a purpose on), the services'
 * acknowledgements (append-only, like the events they acknowledge), and the binding of an API key to a service.
 */
export class ClosedLoopEnforcement1765500000000 implements MigrationInterface {
  name = 'ClosedLoopEnforcement1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE services (
        service_id text PRIMARY KEY,
        name text NOT NULL,
        sla_seconds integer NOT NULL CHECK (sla_seconds > 0),
        registered_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE service_purposes (
        service_id text NOT NULL REFERENCES services (service_id),
        purpose_id text NOT NULL,
        since timestamptz NOT NULL,
        PRIMARY KEY (service_id, purpose_id)
      )`);
    // Pending reads "which services process this purpose".
    await q.query(`CREATE INDEX service_purposes_by_purpose ON service_purposes (purpose_id)`);

    // No foreign key to events: events are never removed, the acknowledging code checks the event exists,
    // and a reference would make TRUNCATE events fail on the reference instead of on its append-only trigger.
    await q.query(`
      CREATE TABLE enforcements (
        event_id uuid NOT NULL,
        service_id text NOT NULL REFERENCES services (service_id),
        enforced_at timestamptz NOT NULL,
        latency_ms bigint NOT NULL CHECK (latency_ms >= 0),
        acknowledged_at timestamptz NOT NULL,
        acknowledged_by text NOT NULL,
        PRIMARY KEY (event_id, service_id)
      )`);
    await q.query(`CREATE INDEX enforcements_by_service ON enforcements (service_id, acknowledged_at)`);
    // An acknowledgement is evidence, like the event it acknowledges: never changed, never removed.
    await appendOnly(q, 'enforcements');

    await q.query(`ALTER TABLE api_keys ADD COLUMN service text REFERENCES services (service_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_keys DROP COLUMN service`);
    await q.query(`DROP TABLE enforcements`);
    await q.query(`DROP TABLE service_purposes`);
    await q.query(`DROP TABLE services`);
  }
}
