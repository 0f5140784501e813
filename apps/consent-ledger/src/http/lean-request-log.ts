import { Logger, RequestMethod } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requestLogLine, responseLogLine } from './log-serializers';

/**
 * Routes served without pino-http's per-request child logger: building it (bindings, serializers,
 * AsyncLocalStorage) cost 18 % of a check's CPU even at LOG_LEVEL=warn, where no request line is
 * written. Their failed and slow requests are still logged, by logLeanRoutes.
 */
export const LEAN_LOGGED_ROUTES = [{ path: 'v1/check', method: RequestMethod.GET }];

/** A check answers in about a millisecond; one this slow is worth a line whatever the log level. */
export const SLOW_REQUEST_MS = 500;

const isLean = (request: FastifyRequest): boolean =>
  LEAN_LOGGED_ROUTES.some(({ path, method }) => request.routeOptions.url === `/${path}` && request.method === RequestMethod[method]);

/** A line for each lean-route response that failed (5xx) or took `slowMs` or more, as pino-http writes it. */
export function logLeanRoutes(
  fastify: FastifyInstance,
  logger: Pick<Logger, 'error' | 'warn'> = new Logger('HttpRequest'),
  slowMs = SLOW_REQUEST_MS,
): void {
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const failed = reply.statusCode >= 500;
    if ((failed || reply.elapsedTime >= slowMs) && isLean(request)) {
      const line = { req: requestLogLine(request), res: responseLogLine(reply), responseTime: Math.round(reply.elapsedTime) };
      if (failed) logger.error(line, 'request errored');
      else logger.warn(line, 'slow request');
    }
    done();
  });
}
