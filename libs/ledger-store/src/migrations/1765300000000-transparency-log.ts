import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transparency log over the events: a dense leaf index per event in commit order, the hash of
 * every complete subtree (RFC 9162: level 0 = leaf hashes), and the signed checkpoints. All three are
 * append-only like events: a sealed leaf, a subtree and a signed checkpoint never change.
 */
export class TransparencyLog1765300000000 implements MigrationInterface {
  name = 'TransparencyLog1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE log_leaves (
        leaf_index bigint PRIMARY KEY CHECK (leaf_index >= 0),
        event_id uuid NOT NULL UNIQUE,
        global_position bigint NOT NULL UNIQUE,
        transaction_id xid8 NOT NULL
      )`);
    await q.query(`
      CREATE TABLE log_subtrees (
        level smallint NOT NULL CHECK (level >= 0),
        index bigint NOT NULL CHECK (index >= 0),
        hash bytea NOT NULL CHECK (length(hash) = 32),
        PRIMARY KEY (level, index)
      )`);
    await q.query(`
      CREATE TABLE log_checkpoints (
        tree_size bigint PRIMARY KEY CHECK (tree_size >= 0),
        root_hash bytea NOT NULL CHECK (length(root_hash) = 32),
        note text NOT NULL,
        signed_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One guard for every append-only table from here on (events keeps its own from the first schema),
    // naming the table it refuses to change.
    await q.query(`
      CREATE FUNCTION reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['log_leaves', 'log_subtrees', 'log_checkpoints']) await appendOnly(q, table);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['log_checkpoints', 'log_subtrees', 'log_leaves']) await q.query(`DROP TABLE IF EXISTS ${table}`);
    await q.query(`DROP FUNCTION reject_change()`);
  }
}

/** UPDATE, DELETE and TRUNCATE of `table` refused by reject_change(), whatever the application does. */
export async function appendOnly(q: QueryRunner, table: string): Promise<void> {
  await q.query(`
    CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
    FOR EACH ROW EXECUTE FUNCTION reject_change()`);
  await q.query(`
    CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
    FOR EACH STATEMENT EXECUTE FUNCTION reject_change()`);
}
