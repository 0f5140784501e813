import fastify from 'fastify';
import { announceReady } from '../support/child-role';

export interface BareServerReady {
  url: string;
}

/**
 * The single-check baseline: bare Fastify answering GET /v1/check with a constant body of the
 * service's size. What remains between it and the service is the service's own work (routing
 * through Nest, auth, validation, Postgres), which is what the ratio is about.
 */
export async function runBareServer(body: string): Promise<void> {
  const app = fastify({ logger: false });
  app.get('/v1/check', (_request, reply) => {
    void reply.header('content-type', 'application/json; charset=utf-8').send(body);
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  announceReady<BareServerReady>({ url: address }, () => app.close());
}
