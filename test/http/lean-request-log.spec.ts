import Fastify, { FastifyInstance } from 'fastify';
import { logLeanRoutes } from '../../apps/consent-ledger/src/http/lean-request-log';

/** The check runs without pino-http's per-request logger; its failures and slow answers must still leave a line. */
describe('request log of the lean check route', () => {
  let fastify: FastifyInstance;
  const lines: { level: string; line: any; message: string }[] = [];
  const logger = {
    error: (line: unknown, message: string) => lines.push({ level: 'error', line, message }),
    warn: (line: unknown, message: string) => lines.push({ level: 'warn', line, message }),
  };

  const serve = async (slowMs: number) => {
    fastify = Fastify();
    logLeanRoutes(fastify, logger, slowMs);
    fastify.get('/v1/check', async (request, reply) => reply.status((request.query as { fail?: string }).fail ? 503 : 200).send({}));
    fastify.post('/v1/check', async () => ({}));
    await fastify.ready();
  };

  afterEach(async () => {
    lines.length = 0;
    await fastify.close();
  });

  it('writes a line for a failed check, with the path only, and none for a quick answer', async () => {
    await serve(60_000);

    await fastify.inject({ method: 'GET', url: '/v1/check?subjectId=jane-secret&purpose=newsletter' });
    await fastify.inject({ method: 'GET', url: '/v1/check?subjectId=jane-secret&purpose=newsletter&fail=1' });

    expect(lines).toEqual([{ level: 'error', message: 'request errored', line: { req: { id: expect.anything(), method: 'GET', path: '/v1/check' }, res: { statusCode: 503 }, responseTime: expect.any(Number) } }]);
    expect(JSON.stringify(lines)).not.toContain('jane-secret');
  });

  it('writes a line for a check at or over the slow threshold, and leaves other routes to pino-http', async () => {
    await serve(0);

    await fastify.inject({ method: 'GET', url: '/v1/check?subjectId=u1&purpose=newsletter' });
    await fastify.inject({ method: 'POST', url: '/v1/check', payload: {} });

    expect(lines).toEqual([expect.objectContaining({ level: 'warn', message: 'slow request', line: expect.objectContaining({ res: { statusCode: 200 } }) })]);
  });
});
