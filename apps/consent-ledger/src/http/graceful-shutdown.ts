import { Injectable, Logger } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyReply } from 'fastify';
import { Server } from 'node:http';
import { Server as NetServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const POLL_MS = 25;

/**
 * How the HTTP server stops without resetting a request. Node's server.close() also closes the
 * connections it sees as idle, but a keep-alive client may have a request on its way on one of
 * them: that request would be reset, and the client could not tell whether it was written. So the
 * listener closes first (no new connections), every response from then on says
 * `Connection: close`, and the open connections end after their current request; only
 * connections still open when the grace period ends are closed by force.
 */
@Injectable()
export class GracefulShutdown {
  private draining = false;
  private readonly logger = new Logger(GracefulShutdown.name);

  /** Synchronous: every request passes here, and an async hook costs each one a promise. */
  readonly onRequest = (_request: unknown, reply: FastifyReply, done: () => void): void => {
    if (this.draining) void reply.header('connection', 'close');
    done();
  };

  async close(app: NestFastifyApplication, graceMs: number): Promise<void> {
    const server = app.getHttpServer() as Server;
    const deadline = Date.now() + graceMs;
    this.draining = true;
    // net.Server's close, not http.Server's: stop accepting without closing idle keep-alive connections.
    NetServer.prototype.close.call(server);
    while ((await openConnections(server)) > 0 && Date.now() < deadline) await sleep(POLL_MS);
    const remaining = await openConnections(server);
    if (remaining > 0) this.logger.warn(`${remaining} connection(s) still open ${graceMs} ms after the signal: closed by force`);
    server.closeAllConnections();
    // Fastify's own close (onClose hooks), then Nest's shutdown hooks: relay, schedulers, pool.
    await app.close();
  }
}

const openConnections = (server: Server): Promise<number> =>
  new Promise((resolve) => server.getConnections((error, count) => resolve(error ? 0 : count)));
