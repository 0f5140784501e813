import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The retention sweep drops idempotency records by age: without an index on created_at each sweep
 * would scan the whole table.
 */
export class RetentionIndexes1765400000000 implements MigrationInterface {
  name = 'RetentionIndexes1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idempotency_keys_created_at`);
  }
}
