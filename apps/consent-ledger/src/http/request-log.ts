import type { LoggerService } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Logger as NestPinoLogger, PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import { requestLogLine, responseLogLine } from './log-serializers';

/** A request this slow is worth a line whatever the log level: a check answers in about a millisecond. */
export const SLOW_REQUEST_MS = 500;

/**
 * Routes whose successful, quick answers are not logged even at `info`: probes and scrapes every few
 * seconds would drown the log, and the check is the hot path. Their failures and slow answers are.
 */
const QUIET_ROUTES: ReadonlySet<string> = new Set(['GET /health/live', 'GET /health/ready', 'GET /metrics', 'GET /v1/check']);

export type RequestLogger = Pick<pino.Logger, 'info' | 'warn' | 'error' | 'isLevelEnabled'>;

/** The service's pino logger, and the same logger as Nest's LoggerService (context, errors, as nestjs-pino writes them). */
export function serviceLoggers(level: string): { root: pino.Logger; nest: LoggerService } {
  const root = pino({ level });
  return { root, nest: new NestPinoLogger(new PinoLogger({ pinoHttp: { logger: root } }), {}) };
}

/**
 * One line per answered request, as pino-http wrote it (`request completed`, `request errored` for a
 * 5xx), plus `slow request` at warn for one that took `slowMs` or more. It runs once the response is
 * sent and builds nothing per request unless a line is written: pino-http's child logger per request
 * and its AsyncLocalStorage scope cost 18 % of a check's CPU even at LOG_LEVEL=warn, and once any
 * request had entered an AsyncLocalStorage scope, every promise of the process paid a hook.
 */
export function logRequests(fastify: FastifyInstance, logger: RequestLogger, slowMs = SLOW_REQUEST_MS): void {
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (reply.statusCode >= 500) logger.error(line(request, reply), 'request errored');
    else if (reply.elapsedTime >= slowMs) logger.warn(line(request, reply), 'slow request');
    else if (logger.isLevelEnabled('info') && !QUIET_ROUTES.has(`${request.method} ${request.routeOptions.url}`)) {
      logger.info(line(request, reply), 'request completed');
    }
    done();
  });
}

const line = (request: FastifyRequest, reply: FastifyReply) => ({
  req: requestLogLine(request),
  res: responseLogLine(reply),
  responseTime: Math.round(reply.elapsedTime),
});
