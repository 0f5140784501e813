import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * append_subject_batch: the group commit of subject appends (GroupCommit). Each item was decided in
 * TypeScript on the state read at `expectedVersion`; the function writes every item whose stream is
 * still at that version and whose named purposes are still at the versions decided on, and reports the
 * others as 'conflict' without writing anything of theirs, so one item's lost race never fails its
 * neighbours. An item's writes (its events, the stream head, its consent_state records, its
 * idempotency record, the data key's destruction when it erases) all happen or none does. The whole
 * batch is one statement: one round trip and one commit.
 *
 * Streams are locked with the stream lock every writer takes (EventStore's advisory lock), in the
 * order the caller sorted the items in. A version is written only on top of the version the item
 * read before the batch began, and that version's writer had committed by then, so a stream's later
 * events always get a later transaction id: the commit order readers page in stays stream order.
 *
 * Positions are taken from the events' identity sequence before the idempotency record is inserted:
 * the record stores the response with each `events[i].position` set, and a key already taken (a
 * concurrent request with the same Idempotency-Key committed first) leaves the item unwritten
 * ('idempotency_taken'); its positions stay unused, as positions may have gaps.
 */
export class GroupCommit1765900000000 implements MigrationInterface {
  name = 'GroupCommit1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION append_subject_batch(items jsonb)
      RETURNS TABLE (item integer, outcome text, positions bigint[])
      LANGUAGE plpgsql AS $fn$
      DECLARE
        entry jsonb;
        stream text;
        expected integer;
        head_version integer;
        taken bigint[];
        position_sequence regclass := pg_get_serial_sequence('events', 'global_position')::regclass;
      BEGIN
        FOR entry, item IN SELECT e.value, e.ordinality::integer FROM jsonb_array_elements(items) WITH ORDINALITY AS e LOOP
          stream := entry->>'streamId';
          expected := (entry->>'expectedVersion')::integer;
          PERFORM pg_advisory_xact_lock(1936028781, hashtext(stream));
          SELECT s.version INTO head_version FROM streams s WHERE s.stream_id = stream;
          IF coalesce(head_version, 0) <> expected OR EXISTS (
            SELECT FROM jsonb_to_recordset(entry->'purposes') AS x("purposeId" text, version integer, retired boolean)
            LEFT JOIN purposes p ON p.purpose_id = x."purposeId"
            WHERE p.current_version IS DISTINCT FROM x.version OR (p.retired_at IS NOT NULL) IS DISTINCT FROM x.retired
          ) THEN
            outcome := 'conflict'; positions := NULL; RETURN NEXT; CONTINUE;
          END IF;

          taken := ARRAY(SELECT nextval(position_sequence) FROM generate_series(1, jsonb_array_length(entry->'events')) ORDER BY 1);

          IF jsonb_typeof(entry->'idempotency') = 'object' THEN
            INSERT INTO idempotency_keys (scope, key, request_hash, status_code, response)
            SELECT i.scope, i.key, i."requestHash", i."statusCode",
              jsonb_set(i.response, '{events}', (
                SELECT coalesce(jsonb_agg(jsonb_set(r.event, '{position}', to_jsonb(taken[r.n])) ORDER BY r.n), '[]'::jsonb)
                FROM jsonb_array_elements(i.response->'events') WITH ORDINALITY AS r(event, n)))
            FROM jsonb_to_record(entry->'idempotency') AS i(scope text, key text, "requestHash" text, "statusCode" integer, response jsonb)
            ON CONFLICT (scope, key) DO NOTHING;
            IF NOT FOUND THEN
              outcome := 'idempotency_taken'; positions := NULL; RETURN NEXT; CONTINUE;
            END IF;
          END IF;

          INSERT INTO events (global_position, event_id, stream_id, stream_version, type, data, metadata, occurred_at, recorded_at,
            personal_digest, personal_data, prev_hash, hash, schema_version, trace_parent)
          OVERRIDING SYSTEM VALUE
          SELECT taken[x.n], x."eventId", stream, x."streamVersion", x.type, x.data, x.metadata, x."occurredAt",
            (entry->>'recordedAt')::timestamptz, x."personalDigest", decode(x."personalData", 'base64'), x."prevHash", x.hash,
            x."schemaVersion", x."traceParent"
          FROM ROWS FROM (jsonb_to_recordset(entry->'events') AS ("eventId" uuid, "streamVersion" integer, type text, data jsonb,
            metadata jsonb, "occurredAt" timestamptz, "personalDigest" text, "personalData" text, "prevHash" text, hash text,
            "schemaVersion" smallint, "traceParent" text)) WITH ORDINALITY
            AS x("eventId", "streamVersion", type, data, metadata, "occurredAt", "personalDigest", "personalData", "prevHash", hash,
              "schemaVersion", "traceParent", n);

          -- An erasure destroys the stream's data key in its own append (crypto-shredding).
          INSERT INTO streams AS s (stream_id, version, head_hash, data_key, erased_at)
          VALUES (stream, expected + cardinality(taken), entry->>'headHash', decode(entry->>'dataKey', 'base64'),
            (entry->>'erasedAt')::timestamptz)
          ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, head_hash = EXCLUDED.head_hash,
            data_key = CASE WHEN EXCLUDED.erased_at IS NULL THEN coalesce(s.data_key, EXCLUDED.data_key) END,
            erased_at = coalesce(s.erased_at, EXCLUDED.erased_at);

          INSERT INTO consent_state AS cs (subject_id, purpose_id, status, purpose_version, since, expires_at, stream_version, position)
          SELECT entry->>'subjectId', r.purpose, r.status, r."purposeVersion", r.since, r."expiresAt", r."streamVersion",
            taken[r."streamVersion" - expected]
          FROM jsonb_to_recordset(entry->'records') AS r(purpose text, status text, "purposeVersion" integer, since timestamptz,
            "expiresAt" timestamptz, "streamVersion" integer)
          ON CONFLICT (subject_id, purpose_id) DO UPDATE SET
            status = EXCLUDED.status, purpose_version = EXCLUDED.purpose_version, since = EXCLUDED.since,
            expires_at = EXCLUDED.expires_at, stream_version = EXCLUDED.stream_version, position = EXCLUDED.position;

          outcome := 'appended'; positions := taken; RETURN NEXT;
        END LOOP;
      END
      $fn$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION append_subject_batch(jsonb)`);
  }
}
