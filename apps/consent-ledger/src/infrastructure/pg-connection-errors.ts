import { Logger } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';

/**
 * pg emits 'error' on a connection the server drops (a restart, `terminating connection due to
 * administrator command` during shutdown). The pool listens while a connection is idle, but not
 * while it is checked out: an error then, between two statements, is an unhandled 'error' event
 * that kills the process. Every connection gets a listener when first checked out; the statement in
 * flight, or the next one, still fails with the error, and the request answers 503. Once the pool
 * is ending (shutdown), its connections' Terminate messages may still be on their way when Postgres
 * stops: losing them then is expected, and not worth a warning.
 */
export function handleConnectionErrors(pool: Pool, logger = new Logger('Postgres')): void {
  const guarded = new WeakSet<PoolClient>();
  pool.on('acquire', (client) => {
    if (guarded.has(client)) return;
    guarded.add(client);
    client.on('error', (error) => {
      if (pool.ending) logger.debug(`a Postgres connection closed during shutdown: ${error.message}`);
      else logger.warn(`a Postgres connection was lost: ${error.message}`);
    });
  });
}
