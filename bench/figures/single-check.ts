import type autocannon from 'autocannon';
import { BareServerReady } from '../roles/bare-server';
import { RoleProcess } from '../support/child-role';
import { measure } from '../support/figure-result';
import type { BenchContext } from '../support/bench-context';
import { Figure, FigureMeasurement } from '../support/figure';
import { runHttpLoad } from '../support/http-load';
import { alternateRounds, loadMeasures, roundsOf } from '../support/load-comparison';
import type { ServiceProcess } from '../support/service-process';
import { fixtureSubjectId } from '../support/state-fixture';

/** A steady, modest rate, well below saturation, at which latency is the service's own rather than queueing. */
const PACED_RATE = 500;
const PACED_CONNECTIONS = 8;

/** The check a marketing service makes before processing: a random subject of the fixture each time. */
export function checkRequests(subjects: number, apiKey: string): autocannon.Request[] {
  return [{
    method: 'GET',
    headers: { authorization: `Bearer ${apiKey}` },
    setupRequest: (request) => ({
      ...request,
      path: `/v1/check?subjectId=${fixtureSubjectId(Math.floor(Math.random() * subjects))}&purpose=newsletter`,
    }),
  }];
}

/** A real answer of the service, so the baseline sends a body of the same size. */
export async function sampleCheckBody(baseUrl: string, apiKey: string): Promise<string> {
  const response = await fetch(`${baseUrl}/v1/check?subjectId=${fixtureSubjectId(1)}&purpose=newsletter`, {
    headers: { authorization: `Bearer ${apiKey}` },
  });
  if (response.status !== 200) throw new Error(`GET /v1/check answered ${response.status}: ${await response.text()}`);
  return response.text();
}

/**
 * The single-check load against `service`, beside bare Fastify answering the same path: alternated
 * closed-loop rounds at `checkConnections`, then the same checks paced below saturation.
 */
export async function measureChecks(context: BenchContext, service: ServiceProcess, configuration: string): Promise<FigureMeasurement> {
  const { sizes } = context.options;
  const apiKey = await service.createApiKey('bench single check', ['consents:read']);
  const bare = await RoleProcess.fork<BareServerReady>('bare-server', [await sampleCheckBody(service.baseUrl, apiKey)]);
  try {
    const requests = checkRequests(context.ledger.fixture.subjects, apiKey);
    const load = (url: string, seconds: number) =>
      runHttpLoad({ url, connections: sizes.checkConnections, seconds, requests });
    await load(bare.ready.url, sizes.warmupSeconds);
    await load(service.baseUrl, sizes.warmupSeconds);
    const comparison = await alternateRounds(
      sizes.rounds,
      () => load(bare.ready.url, sizes.loadSeconds),
      () => load(service.baseUrl, sizes.loadSeconds),
      (round, check, base) => context.log(`  round ${round + 1}: check ${check.perSecond.toFixed(0)}/s, bare ${base.perSecond.toFixed(0)}/s`),
    );
    // Unsaturated: what one check costs a caller when the service is not queueing requests.
    const paced = (url: string) => runHttpLoad({ url, connections: PACED_CONNECTIONS, seconds: sizes.loadSeconds / 2, requests, rate: PACED_RATE });
    const pacedBare = await paced(bare.ready.url);
    const pacedCheck = await paced(service.baseUrl);
    return {
      measures: [
        ...loadMeasures(comparison, { throughput: 'throughput', unit: 'req/s', baseline: 'bare Fastify', minRatio: 0.6, maxP99Ms: 5 }),
        measure(`p50 latency at ${PACED_RATE} req/s`, pacedCheck.p50Ms, 'ms', { baseline: { label: 'bare Fastify', value: pacedBare.p50Ms } }),
        measure(`p99 latency at ${PACED_RATE} req/s`, pacedCheck.p99Ms, 'ms', { baseline: { label: 'bare Fastify', value: pacedBare.p99Ms } }),
      ],
      rounds: roundsOf(comparison),
      note: `${configuration}; ${sizes.checkConnections} connections, ${sizes.loadSeconds} s per round, ${sizes.rounds} alternated rounds, ` +
        `random subjects among ${context.ledger.fixture.rows.toLocaleString('en-US')} state rows. Latencies at ${sizes.checkConnections} ` +
        `connections include queueing behind the other connections (Little's law: ${sizes.checkConnections} / throughput), ` +
        `so the p99 target is also shown at a paced ${PACED_RATE} req/s over ${PACED_CONNECTIONS} connections.`,
    };
  } finally {
    await bare.stop();
  }
}

export const singleCheck: Figure = {
  id: 'single-check',
  title: 'Single check',
  async run(context) {
    return measureChecks(context, await context.service(), 'relay off (as every HTTP figure but propagation)');
  },
};
