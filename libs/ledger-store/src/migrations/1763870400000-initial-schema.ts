import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first schema. What the hash chain covers is fixed here for good: changing it later would
 * invalidate every existing chain, so personal proof fields live outside the hashed body
 * (`personal_data`, encrypted under the stream's data key) and the hash covers only their salted digest.
 */
export class InitialSchema1763870400000 implements MigrationInterface {
  name = 'InitialSchema1763870400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE events (
        global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        event_id uuid NOT NULL UNIQUE,
        stream_id text NOT NULL,
        stream_version integer NOT NULL CHECK (stream_version > 0),
        type text NOT NULL,
        data jsonb NOT NULL,
        metadata jsonb NOT NULL,
        personal_digest text,
        personal_data bytea,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version)
      )`);
    // Global readers page in commit order: (transaction_id, global_position) below the snapshot's xmin.
    await q.query(`CREATE INDEX events_commit_order ON events (transaction_id, global_position)`);

    // Append-only at the database level, whatever the application does.
    await q.query(`
      CREATE FUNCTION events_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'events is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
      FOR EACH ROW EXECUTE FUNCTION events_reject_change()`);
    await q.query(`
      CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
      FOR EACH STATEMENT EXECUTE FUNCTION events_reject_change()`);
    // Wakes the relay on commit (NOTIFY is delivered only if the transaction commits).
    await q.query(`
      CREATE FUNCTION events_notify_append() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('ledger_events', '');
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER events_notify AFTER INSERT ON events
      FOR EACH STATEMENT EXECUTE FUNCTION events_notify_append()`);

    // One row a stream: the head the next append chains to, and the lock that serializes its writers.
    // data_key is the stream's data key wrapped by the master key; erasure sets it to NULL (crypto-shredding).
    await q.query(`
      CREATE TABLE streams (
        stream_id text PRIMARY KEY,
        version integer NOT NULL DEFAULT 0,
        head_hash text,
        data_key bytea,
        erased_at timestamptz
      )`);
    // Checks ask "is any of these subjects erased?"; erased subjects are few.
    await q.query(`CREATE INDEX streams_erased ON streams (stream_id) WHERE erased_at IS NOT NULL`);

    await q.query(`
      CREATE TABLE purposes (
        purpose_id text PRIMARY KEY,
        current_version integer NOT NULL,
        retired_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE purpose_versions (
        purpose_id text NOT NULL REFERENCES purposes (purpose_id),
        version integer NOT NULL,
        title jsonb NOT NULL,
        description jsonb NOT NULL,
        legal_basis text NOT NULL,
        validity_days integer,
        material_change boolean NOT NULL,
        published_at timestamptz NOT NULL,
        PRIMARY KEY (purpose_id, version)
      )`);

    // Current state per (subject, purpose): the effect of the latest event in (occurred_at, stream_version) order.
    await q.query(`
      CREATE TABLE consent_state (
        subject_id text NOT NULL,
        purpose_id text NOT NULL,
        status text NOT NULL,
        purpose_version integer NOT NULL,
        since timestamptz NOT NULL,
        expires_at timestamptz,
        stream_version integer NOT NULL,
        position bigint NOT NULL,
        PRIMARY KEY (subject_id, purpose_id)
      )`);
    await q.query(`CREATE INDEX consent_state_expiry ON consent_state (expires_at) WHERE status = 'granted'`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        scope text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        status_code integer NOT NULL,
        response jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key)
      )`);

    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        scopes text[] NOT NULL,
        secret_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);

    await q.query(`
      CREATE TABLE relay_checkpoints (
        name text PRIMARY KEY,
        transaction_id xid8 NOT NULL,
        global_position bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['relay_checkpoints', 'api_keys', 'idempotency_keys', 'consent_state', 'purpose_versions', 'purposes', 'streams', 'events']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS events_notify_append()`);
    await q.query(`DROP FUNCTION IF EXISTS events_reject_change()`);
  }
}
