import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The bulk check looks up thousands of subjects of one purpose at once (stateForPurposeQuery). In the
 * primary key (subject_id, purpose_id) a purpose's rows are spread over the whole index: 10,000 ids
 * cost thousands of descents and ten thousand more pages. Here they are contiguous, so one scan walks
 * the leaves. Subject ids sort bytewise (COLLATE "C"), as the service sorts the ids it sends, whatever
 * the database's collation. Its columns never change, so it costs an append only what the other
 * indexes already do: an entry for a new pair, and one for an update that changes status or
 * expires_at (consent_state_expiry makes those non-HOT already).
 */
export class ConsentStateByPurpose1766200000000 implements MigrationInterface {
  name = 'ConsentStateByPurpose1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX consent_state_by_purpose ON consent_state (purpose_id, subject_id COLLATE "C")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX consent_state_by_purpose`);
  }
}
