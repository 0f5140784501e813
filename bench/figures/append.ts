import type autocannon from 'autocannon';
import { Figure } from '../support/figure';
import { withPgClient } from '@consent-ledger/runtime';
import { runHttpLoad } from '../support/http-load';
import { alternateRounds, loadMeasures, roundsOf } from '../support/load-comparison';
import { createRawAppendTable, runRawInsertLoad } from '../support/raw-insert-load';
import { runWritePathLoad } from '../support/write-path-load';

/** One banner submit as a frontend posts it, proof fields included (they are encrypted on the way in). */
const BANNER_SUBMIT = JSON.stringify({
  events: [{ type: 'ConsentGranted', purpose: 'newsletter' }],
  source: { channel: 'web', collectionPoint: 'cookie-banner/home', policyVersion: '2026-01' },
  proof: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', method: 'banner-accept-all' },
});

/** Every request names a new subject: posts for one subject are serialized, which is another figure. */
export function appendRequests(apiKey: string, run: string): autocannon.Request[] {
  let next = 0;
  return [{
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: BANNER_SUBMIT,
    setupRequest: (request) => ({ ...request, path: `/v1/subjects/append-${run}-${next++}/events` }),
  }];
}

/**
 * POST /v1/subjects/{id}/events, one event per request, at `appendConnections` concurrent
 * clients. Baseline: raw pg INSERTs of a row as large as an event row, one transaction each, at
 * the same concurrency on the same server: the cost of durability the service cannot avoid.
 */
export const append: Figure = {
  id: 'append',
  title: 'Append',
  async run(context) {
    const { sizes } = context.options;
    const service = await context.service();
    const apiKey = await service.createApiKey('bench append', ['events:write']);
    const viaService = (run: string, seconds: number) => runHttpLoad({
      url: service.baseUrl, connections: sizes.appendConnections, seconds, requests: appendRequests(apiKey, run),
    });
    await viaService('warmup', sizes.warmupSeconds);
    const rowBytes = await withPgClient(context.ledger.url, async (client) =>
      Math.round(Number((await client.query(`SELECT avg(pg_column_size(e.*)) AS bytes FROM events e`)).rows[0].bytes)));
    await createRawAppendTable(context.ledger.url);
    const viaRawInserts = (seconds: number) => runRawInsertLoad({
      databaseUrl: context.ledger.url, connections: sizes.appendConnections, seconds, payloadBytes: rowBytes,
    });
    await viaRawInserts(sizes.warmupSeconds);

    const comparison = await alternateRounds(
      sizes.rounds,
      () => viaRawInserts(sizes.loadSeconds),
      (round) => viaService(`round${round}`, sizes.loadSeconds),
      (round, appended, raw) => context.log(`  round ${round + 1}: append ${appended.perSecond.toFixed(0)}/s, raw insert ${raw.perSecond.toFixed(0)}/s`),
    );
    // The same appends without HTTP: what the write path and group commit reach on their own.
    const withoutHttp = await alternateRounds(
      sizes.rounds,
      () => viaRawInserts(sizes.loadSeconds),
      (round) => runWritePathLoad({ databaseUrl: context.ledger.url, connections: sizes.appendConnections, seconds: sizes.loadSeconds, run: `round${round}` }),
      (round, appended, raw) => context.log(`  round ${round + 1}: write path without HTTP ${appended.perSecond.toFixed(0)}/s, raw insert ${raw.perSecond.toFixed(0)}/s`),
    );
    const [throughput, p50, p99] = loadMeasures(withoutHttp, { throughput: 'write path without HTTP', unit: 'events/s', baseline: 'raw pg INSERT', minRatio: 0.5 });
    return {
      measures: [
        ...loadMeasures(comparison, { throughput: 'events appended', unit: 'events/s', baseline: 'raw pg INSERT', minRatio: 0.5 }),
        throughput,
        { ...p50, label: 'write path without HTTP, p50 latency' },
        { ...p99, label: 'write path without HTTP, p99 latency' },
      ],
      rounds: { ...roundsOf(comparison), ...Object.fromEntries(Object.entries(roundsOf(withoutHttp)).map(([key, values]) => [`withoutHttp.${key}`, values])) },
      note: `${sizes.appendConnections} concurrent clients, one event per request, each request a new subject; ` +
        'without HTTP: as many writers calling SubjectStreams.handle (read, decide, group commit) in the bench process; ' +
        `raw rows of ${rowBytes} bytes (the average event row); Postgres ${context.options.durable ? 'with fsync on' : 'with fsync off'}.`,
    };
  },
};
