import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency-Key values are chosen by callers and can carry personal data (seen: `signup-jane@example.com`):
 * the table keeps their SHA-256 instead (IdempotencyStore hashes before every lookup and insert). Rows
 * written before are hashed in place, so their retries are still recognised.
 */
export class IdempotencyKeyDigests1765800000000 implements MigrationInterface {
  name = 'IdempotencyKeyDigests1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE idempotency_keys SET key = encode(sha256(convert_to(key, 'UTF8')), 'hex')`);
  }

  async down(): Promise<void> {
    // A digest cannot be turned back into the key; the rows stay as they are.
  }
}
