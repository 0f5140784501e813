import { MigrationInterface, QueryRunner } from 'typeorm';

/** API keys record who created them and may expire (DESIGN.md, Auth). */
export class ApiKeyLifecycle1765100000000 implements MigrationInterface {
  name = 'ApiKeyLifecycle1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_keys ADD COLUMN created_by text, ADD COLUMN expires_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_keys DROP COLUMN expires_at, DROP COLUMN created_by`);
  }
}
