import { withPgClient } from '@consent-ledger/runtime';

/** Events per subject stream in the replay fixture. */
const EVENTS_PER_SUBJECT = 5;
/** Events per INSERT, so the log spans many transactions as a real one does, and commit order matters. */
const EVENTS_PER_TRANSACTION = 50_000;
const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/**
 * `events` subject events with the shape the service writes (domain event in `data`, source in
 * `metadata`), generated in SQL because appending a million through the API would take longer
 * than the whole bench. Hashes are placeholders: the replay reads no hash, so the chain need not
 * verify. Every fifth subject's last event is a consent collected 400 days earlier and imported
 * late, so the rebuild has to apply the (occurredAt, stream order) rule, not just keep the last event.
 */
export async function seedEventLog(databaseUrl: string, events: number): Promise<{ events: number; subjects: number }> {
  const subjects = Math.ceil(events / EVENTS_PER_SUBJECT);
  await withPgClient(databaseUrl, async (client) => {
    // Purpose streams share the log; the rebuild must skip them.
    await client.query(`
      INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, occurred_at, recorded_at, prev_hash, hash)
      SELECT gen_random_uuid(), 'purpose:' || p, 1, 'PurposePublished',
             jsonb_build_object('type', 'PurposePublished', 'purposeId', p, 'version', 1), '{}', now(), now(), repeat('0', 64), repeat('0', 64)
      FROM unnest(ARRAY['newsletter', 'analytics', 'ads']) AS p`);
    for (let from = 0; from < events; from += EVENTS_PER_TRANSACTION) {
      await client.query(
        `INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, occurred_at, recorded_at, prev_hash, hash)
         SELECT gen_random_uuid(), 'subject:r' || s, v, t,
                jsonb_build_object('type', t, 'subjectId', 'r' || s, 'purpose', p, 'purposeVersion', 1,
                                   'occurredAt', to_char(o AT TIME ZONE 'UTC', ${ISO}))
                || CASE WHEN t IN ('ConsentGranted', 'ConsentRefused')
                        THEN jsonb_build_object('expiresAt', to_char((o + interval '395 days') AT TIME ZONE 'UTC', ${ISO}))
                        ELSE '{}'::jsonb END,
                '{"source": {"channel": "import", "collectionPoint": "bench"}, "proof": {"method": "bench"}, "actor": "bench"}',
                o, now(), repeat('0', 64), encode(sha256(i::text::bytea), 'hex')
         FROM generate_series($1::int, $2::int - 1) AS i
         CROSS JOIN LATERAL (SELECT i % $3 AS s, i / $3 + 1 AS v) AS k
         CROSS JOIN LATERAL (SELECT
           (ARRAY['newsletter', 'analytics', 'ads'])[1 + (s + v) % 3] AS p,
           (ARRAY['ConsentGranted', 'ConsentWithdrawn', 'ConsentRefused', 'ConsentGranted'])[1 + (s * 3 + v) % 4] AS t,
           timestamptz '2024-01-01T00:00:00Z' + v * interval '7 days' + (s % 86400) * interval '1 second'
             - CASE WHEN s % 5 = 0 AND v = ${EVENTS_PER_SUBJECT} THEN interval '400 days' ELSE interval '0' END AS o) AS e`,
        [from, Math.min(events, from + EVENTS_PER_TRANSACTION), subjects],
      );
    }
    await client.query(`VACUUM ANALYZE events`);
  });
  return { events, subjects };
}
