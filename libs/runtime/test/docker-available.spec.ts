import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { dockerAvailable, findFreePort } from '../src';

/** Stand-ins for an engine listening on a Unix socket, as DOCKER_HOST would name it. */
let dir: string;
const servers: Server[] = [];
const savedDockerHost = process.env.DOCKER_HOST;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'docker-available-'));
});

afterEach(async () => {
  process.env.DOCKER_HOST = savedDockerHost;
  if (savedDockerHost === undefined) {
    delete process.env.DOCKER_HOST;
  }
  for (const server of servers.splice(0)) {
    server.closeAllConnections(); // including a hung /_ping
    await new Promise((resolve) => server.close(resolve));
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fakeEngine(name: string, answer: boolean): Promise<string> {
  const socketPath = path.join(dir, name);
  const server = createServer((request, response) => {
    if (answer && request.url === '/_ping') {
      response.end('OK');
    }
    // otherwise hang, like a wedged daemon
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return `unix://${socketPath}`;
}

describe('dockerAvailable', () => {
  it('is true when the engine answers /_ping', async () => {
    process.env.DOCKER_HOST = await fakeEngine('answers.sock', true);

    await expect(dockerAvailable()).resolves.toBe(true);
  });

  it('gives up on an engine that does not answer within the timeout', async () => {
    process.env.DOCKER_HOST = await fakeEngine('hangs.sock', false);
    const started = Date.now();

    await expect(dockerAvailable(300)).resolves.toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('is false for a socket that does not exist or a closed TCP port', async () => {
    process.env.DOCKER_HOST = `unix://${path.join(dir, 'missing.sock')}`;
    await expect(dockerAvailable()).resolves.toBe(false);

    process.env.DOCKER_HOST = `tcp://127.0.0.1:${await findFreePort()}`;
    await expect(dockerAvailable()).resolves.toBe(false);
  });
});
