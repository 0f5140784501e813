import Fastify, { FastifyInstance } from 'fastify';
import { logRequests } from '../../apps/consent-ledger/src/http/request-log';

/** One line per request as pino-http wrote it, without a per-request logger; probes, scrapes and quick checks stay quiet. */
describe('request log', () => {
  let fastify: FastifyInstance;
  const lines: { level: string; line: any; message: string }[] = [];
  const logger = (level: string) => ({
    info: (line: unknown, message: string) => lines.push({ level: 'info', line, message }),
    warn: (line: unknown, message: string) => lines.push({ level: 'warn', line, message }),
    error: (line: unknown, message: string) => lines.push({ level: 'error', line, message }),
    isLevelEnabled: (asked: string) => asked !== 'info' || level === 'info',
  });

  const serve = async (level: string, slowMs: number) => {
    fastify = Fastify();
    logRequests(fastify, logger(level) as never, slowMs);
    fastify.get('/v1/check', async (request, reply) => reply.status((request.query as { fail?: string }).fail ? 503 : 200).send({}));
    fastify.get('/health/live', async () => ({}));
    fastify.post('/v1/subjects/:subjectId/events', async (_request, reply) => reply.status(201).send({}));
    await fastify.ready();
  };

  afterEach(async () => {
    lines.length = 0;
    await fastify.close();
  });

  it('at warn, writes a line for a failed request only, with the path and no query', async () => {
    await serve('warn', 60_000);

    await fastify.inject({ method: 'GET', url: '/v1/check?subjectId=jane-secret&purpose=newsletter' });
    await fastify.inject({ method: 'POST', url: '/v1/subjects/u1/events', payload: {} });
    await fastify.inject({ method: 'GET', url: '/v1/check?subjectId=jane-secret&purpose=newsletter&fail=1' });

    expect(lines).toEqual([{ level: 'error', message: 'request errored', line: { req: { id: expect.anything(), method: 'GET', path: '/v1/check' }, res: { statusCode: 503 }, responseTime: expect.any(Number) } }]);
    expect(JSON.stringify(lines)).not.toContain('jane-secret');
  });

  it('at info, writes every request but the quick checks and probes', async () => {
    await serve('info', 60_000);

    await fastify.inject({ method: 'GET', url: '/v1/check?subjectId=u1&purpose=newsletter' });
    await fastify.inject({ method: 'GET', url: '/health/live' });
    await fastify.inject({ method: 'POST', url: '/v1/subjects/u1/events', payload: {} });

    expect(lines).toEqual([{ level: 'info', message: 'request completed', line: { req: { id: expect.anything(), method: 'POST', path: '/v1/subjects/u1/events' }, res: { statusCode: 201 }, responseTime: expect.any(Number) } }]);
  });

  it('writes a line at warn for a request at or over the slow threshold, quiet routes included', async () => {
    await serve('warn', 0);

    await fastify.inject({ method: 'GET', url: '/v1/check?subjectId=u1&purpose=newsletter' });

    expect(lines).toEqual([expect.objectContaining({ level: 'warn', message: 'slow request', line: expect.objectContaining({ res: { statusCode: 200 } }) })]);
  });
});
