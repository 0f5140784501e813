import { withPgClient } from '@consent-ledger/runtime';

/** The consent purposes each fixture subject has a row for; `offers` rests on legitimate interest. */
export const STATE_PURPOSES = ['newsletter', 'analytics', 'ads', 'offers'] as const;

export interface StateFixture {
  /** Subjects are `s0` … `s{subjects - 1}`. */
  subjects: number;
  rows: number;
}

export const fixtureSubjectId = (n: number): string => `s${n}`;

/**
 * Purposes and a `rows`-row projection written straight into the tables with generate_series: the
 * check figures are about the read path, and appending that many events through the API would take
 * longer than the whole bench. The rows mix every status the policy distinguishes (granted,
 * refused, withdrawn, expired, objected, none) and one subject in a thousand is erased, so each
 * branch of the decision is taken. The event log stays empty: nothing here reads it.
 */
export async function seedConsentState(databaseUrl: string, rows: number): Promise<StateFixture> {
  const subjects = Math.floor(rows / STATE_PURPOSES.length);
  await withPgClient(databaseUrl, async (client) => {
    await client.query(`
      INSERT INTO purposes (purpose_id, current_version) VALUES
        ('newsletter', 1), ('analytics', 1), ('ads', 1), ('offers', 1), ('account', 1)`);
    await client.query(`
      INSERT INTO purpose_versions (purpose_id, version, title, description, legal_basis, validity_days, material_change, published_at)
      SELECT id, 1, to_jsonb(title), to_jsonb(title || ': bench fixture'), basis, validity, false, now() - interval '2 years'
      FROM (VALUES
        ('newsletter', 'Newsletter', 'consent', 395),
        ('analytics', 'Audience measurement', 'consent', 395),
        ('ads', 'Advertising cookies', 'consent', 395),
        ('offers', 'Offers for similar services', 'legitimate_interest', NULL),
        ('account', 'Customer account', 'contract', NULL)
      ) AS p(id, title, basis, validity)`);
    await client.query(
      `INSERT INTO streams (stream_id, version, head_hash, erased_at)
       SELECT 'subject:s' || n, $2, md5(n::text), CASE WHEN n % 1000 = 999 THEN now() - interval '1 day' END
       FROM generate_series(0, $1 - 1) AS n`,
      [subjects, STATE_PURPOSES.length],
    );
    await client.query(
      `INSERT INTO consent_state (subject_id, purpose_id, status, purpose_version, since, expires_at, stream_version, position)
       SELECT 's' || n, p.id, x.status, 1, x.since,
              CASE WHEN x.status IN ('granted', 'refused') THEN x.since + interval '395 days'
                   WHEN x.status = 'expired' THEN x.since END,
              p.ord, n::bigint * 4 + p.ord
       FROM generate_series(0, $1 - 1) AS n
       CROSS JOIN (VALUES ('newsletter', 1), ('analytics', 2), ('ads', 3), ('offers', 4)) AS p(id, ord)
       CROSS JOIN LATERAL (SELECT
         -- Younger than the 395-day validity: the service's expiry scheduler would otherwise spend
         -- the run appending ConsentExpired for the older grants, as it does within a minute in
         -- production, where a grant past its validity therefore only exists as 'expired'.
         now() - ((n + p.ord) % 390) * interval '1 day' AS since,
         CASE
           WHEN p.id = 'offers' THEN CASE WHEN n % 5 = 0 THEN 'objected' ELSE 'none' END
           WHEN (n + p.ord) % 10 < 6 THEN 'granted'
           WHEN (n + p.ord) % 10 < 7 THEN 'refused'
           WHEN (n + p.ord) % 10 < 8 THEN 'expired'
           ELSE 'withdrawn'
         END AS status) AS x`,
      [subjects],
    );
    // Hint bits and statistics now, not during the first measured seconds.
    await client.query(`VACUUM ANALYZE consent_state, streams, purposes, purpose_versions`);
  });
  return { subjects, rows: subjects * STATE_PURPOSES.length };
}
