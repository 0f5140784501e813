import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Histogram } from 'prom-client';

/**
 * Request latency per route template, method and status. The route is Fastify's pattern
 * (`/v1/subjects/:subjectId/events`), never the raw URL, so no subject id reaches a label and the
 * label set stays bounded. The histogram's `_count` is the request count.
 */
export const httpRequestDuration = new Histogram({
  name: 'consent_ledger_http_request_duration_seconds',
  help: 'HTTP request latency from the request received to the response sent, by route template, method and status',
  labelNames: ['route', 'method', 'status'] as const,
  // A check answers in about a millisecond; an append waits for an fsync; a bulk check may take 100 ms.
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

/** Requests that matched no route (scanners, typos) share one label instead of one per URL. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Observes every response: one label lookup and one histogram update, no allocation beyond
 * prom-client's, so it stays cheap on the check hot path.
 */
export function observeHttpRequests(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    httpRequestDuration.observe(
      { route: request.routeOptions.url ?? UNMATCHED_ROUTE, method: request.method, status: reply.statusCode },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
