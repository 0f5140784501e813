import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The relay's wake-up moves from a trigger NOTIFY inside each appending transaction to a NOTIFY
 * the event store sends after the commit (AppendNotifier, which says why): same channel, same
 * "only once committed" meaning, without serializing every append's commit.
 */
export class NotifyAfterCommit1764000000000 implements MigrationInterface {
  name = 'NotifyAfterCommit1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER events_notify ON events`);
    await q.query(`DROP FUNCTION events_notify_append()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION events_notify_append() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('ledger_events', '');
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER events_notify AFTER INSERT ON events
      FOR EACH STATEMENT EXECUTE FUNCTION events_notify_append()`);
  }
}
