import { createServer } from 'node:net';

/**
 * Asks the kernel for a TCP port that is free on `host` right now.
 * Another process could take it before the caller binds it; for a local dev/test server that race
 * is accepted rather than coordinating ports across processes.
 */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') {
          resolve(address.port);
        } else {
          reject(new Error(`could not determine a free port on ${host}`));
        }
      });
    });
  });
}
