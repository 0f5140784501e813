import { measure } from '../support/figure-result';
import { Figure } from '../support/figure';
import { withPgClient } from '@consent-ledger/runtime';
import { stateForPurposeQuery } from '@consent-ledger/ledger-store';
import { fixtureSubjectId } from '../support/state-fixture';
import { elapsedMs, median } from '../support/stats';

/** A tenth of each send list is people the ledger has never heard of, as in a real one. */
const UNKNOWN_SHARE = 0.1;
const WARMUP_REQUESTS = 3;

/** `count` distinct subject ids, drawn from the fixture's subjects plus a margin of unknown ones. */
function sendList(subjects: number, count: number): string[] {
  const range = Math.floor(subjects * (1 + UNKNOWN_SHARE));
  const picked = new Set<number>();
  while (picked.size < Math.min(count, range)) picked.add(Math.floor(Math.random() * range));
  return [...picked].map(fixtureSubjectId);
}

/**
 * POST /v1/check with a 10,000-id send list, one request at a time, timed from sending the request
 * to having parsed the answer. Baseline: the lookup at the heart of it, the same ids in one query
 * over a raw pg connection, which is the floor the HTTP path can approach. Also timed: the service's
 * own statement over that connection, which splits a request into Postgres and the rest.
 */
export const bulkCheck: Figure = {
  id: 'bulk-check',
  title: 'Bulk check',
  async run(context) {
    const { sizes } = context.options;
    const service = await context.service();
    const apiKey = await service.createApiKey('bench bulk check', ['consents:read']);
    const { subjects, rows } = context.ledger.fixture;
    const lists = Array.from({ length: sizes.bulkRequests + WARMUP_REQUESTS }, () => sendList(subjects, sizes.bulkIds));

    const viaService = async (ids: string[]) => {
      const body = JSON.stringify({ purpose: 'newsletter', subjectIds: ids });
      const start = process.hrtime.bigint();
      const response = await fetch(`${service.baseUrl}/v1/check`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body,
      });
      const decision = (await response.json()) as { allowed: string[]; denied: string[] };
      const ms = elapsedMs(start);
      if (response.status !== 200) throw new Error(`POST /v1/check answered ${response.status}: ${JSON.stringify(decision)}`);
      if (decision.allowed.length + decision.denied.length !== ids.length) throw new Error('the bulk check lost ids');
      return ms;
    };

    return withPgClient(context.ledger.url, async (client) => {
      const viaRawQuery = async (ids: string[]) => {
        const start = process.hrtime.bigint();
        await client.query(
          `SELECT subject_id, status, purpose_version, since, expires_at, stream_version
           FROM consent_state WHERE purpose_id = $1 AND subject_id = ANY($2::text[])`,
          ['newsletter', ids],
        );
        return elapsedMs(start);
      };
      const viaStatement = async (ids: string[]) => {
        const start = process.hrtime.bigint();
        await client.query(stateForPurposeQuery('newsletter', ids));
        return elapsedMs(start);
      };
      const serviceMs: number[] = [];
      const rawMs: number[] = [];
      const statementMs: number[] = [];
      for (const [i, ids] of lists.entries()) {
        const [service, raw, statement] = [await viaService(ids), await viaRawQuery(ids), await viaStatement(ids)];
        if (i < WARMUP_REQUESTS) continue;
        serviceMs.push(service);
        rawMs.push(raw);
        statementMs.push(statement);
      }
      // Where the time goes in Postgres: the service's own statement over the last send list, warm.
      const { text, values } = stateForPurposeQuery('newsletter', lists[lists.length - 1]);
      const plan = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, values);
      context.log(`bulk-check plan:\n  ${plan.rows.map((row) => row['QUERY PLAN']).join('\n  ')}`);
      const idsPerSecond = (ms: number) => sizes.bulkIds / (ms / 1000);
      const perSecond = idsPerSecond(median(serviceMs));
      return {
        measures: [
          measure('ids checked', perSecond, 'ids/s', {
            baseline: { label: 'raw pg lookup', value: idsPerSecond(median(rawMs)) },
            target: '≥ 1,000,000 ids/s',
            holds: perSecond >= 1_000_000,
          }),
          measure('10k-id request, median', median(serviceMs), 'ms', { baseline: { label: 'raw pg lookup', value: median(rawMs) } }),
          measure("the service's statement alone", idsPerSecond(median(statementMs)), 'ids/s', {
            baseline: { label: 'raw pg lookup', value: idsPerSecond(median(rawMs)) },
          }),
        ],
        rounds: { serviceMs, rawMs, statementMs },
        note: `${sizes.bulkRequests} sequential requests of ${sizes.bulkIds.toLocaleString('en-US')} distinct ids ` +
          `(${UNKNOWN_SHARE * 100}% unknown) against ${rows.toLocaleString('en-US')} state rows; the raw lookup ` +
          'reads the same rows without the erasure check, the HTTP hop, validation or the decision; the statement alone is ' +
          "the service's query (stateForPurposeQuery) over the same raw connection.",
      };
    });
  },
};
