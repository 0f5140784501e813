import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The W3C traceparent of the request that appended an event, so the relay can link its Kafka publish
 * (and through the message headers, every subscriber) to that request's trace. Operational data, not
 * ledger data: outside the hashed body and never published in the event's value. Nullable, no default:
 * adding it rewrites nothing.
 */
export class EventTraceParent1765600000000 implements MigrationInterface {
  name = 'EventTraceParent1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE events ADD COLUMN trace_parent text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE events DROP COLUMN trace_parent`);
  }
}
