import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every event records the schema version of its data, so that a later change to an event's shape
 * can be read back through an upcaster (event-codec.ts) instead of rewriting an append-only log.
 * Events written before this column existed are version 1, the only version so far. Adding a
 * column with a constant default rewrites no row, so the append-only trigger is not involved.
 */
export class EventSchemaVersion1765200000000 implements MigrationInterface {
  name = 'EventSchemaVersion1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE events ADD COLUMN schema_version smallint NOT NULL DEFAULT 1`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE events DROP COLUMN schema_version`);
  }
}
