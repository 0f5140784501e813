import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';

/** Where the engine API is reached: a Unix socket (or Windows pipe), or TCP with optional TLS. */
type Endpoint = { socketPath: string } | { host: string; port: number; tls: boolean };

const PING_TIMEOUT_MS = 800;

/**
 * Whether a Docker engine answers, so callers can choose testcontainers or an in-process fallback.
 *
 * Checks the engine testcontainers would pick (DOCKER_HOST, then the same well-known sockets in the
 * same order), because a socket file alone proves nothing: it outlives a stopped daemon and may be
 * unreadable. Then asks `GET /_ping` with a short timeout so a missing engine costs well under a
 * second. Not covered: ~/.testcontainers.properties and Docker contexts.
 */
export async function dockerAvailable(timeoutMs = PING_TIMEOUT_MS): Promise<boolean> {
  const endpoint = findEndpoint();
  return endpoint !== undefined && ping(endpoint, timeoutMs);
}

function findEndpoint(): Endpoint | undefined {
  const dockerHost = process.env.DOCKER_HOST;
  if (dockerHost) {
    return parseDockerHost(dockerHost);
  }
  if (process.platform === 'win32') {
    return { socketPath: '\\\\.\\pipe\\docker_engine' };
  }
  const socketPath = [
    '/var/run/docker.sock',
    // Rootless engines and Docker Desktop, as testcontainers' RootlessUnixSocketStrategy looks for them.
    process.env.XDG_RUNTIME_DIR && path.join(process.env.XDG_RUNTIME_DIR, 'docker.sock'),
    path.join(os.homedir(), '.docker', 'run', 'docker.sock'),
    path.join(os.homedir(), '.docker', 'desktop', 'docker.sock'),
    path.join('/run', 'user', String(os.userInfo().uid), 'docker.sock'),
  ].find((candidate): candidate is string => typeof candidate === 'string' && existsSync(candidate));
  return socketPath ? { socketPath } : undefined;
}

function parseDockerHost(dockerHost: string): Endpoint | undefined {
  try {
    const url = new URL(dockerHost);
    if (url.protocol === 'unix:') {
      return { socketPath: url.pathname };
    }
    if (url.protocol === 'npipe:') {
      // npipe:////./pipe/docker_engine -> \\.\pipe\docker_engine
      return { socketPath: url.pathname.replace(/^\/+/, '\\\\').replace(/\//g, '\\') };
    }
    const tls = process.env.DOCKER_TLS_VERIFY === '1';
    return { host: url.hostname, port: Number(url.port) || (tls ? 2376 : 2375), tls };
  } catch {
    return undefined;
  }
}

function ping(endpoint: Endpoint, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      const options: https.RequestOptions = { path: '/_ping', signal: AbortSignal.timeout(timeoutMs) };
      let client: typeof http | typeof https = http;
      if ('socketPath' in endpoint) {
        options.socketPath = endpoint.socketPath;
      } else {
        Object.assign(options, { host: endpoint.host, port: endpoint.port });
        if (endpoint.tls) {
          client = https;
          Object.assign(options, tlsFiles());
        }
      }
      const request = client.request(options, (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      });
      request.on('error', () => resolve(false));
      request.end();
    } catch {
      // e.g. unreadable TLS certificate files
      resolve(false);
    }
  });
}

function tlsFiles(): { ca: Buffer; cert: Buffer; key: Buffer } {
  const dir = process.env.DOCKER_CERT_PATH || path.join(os.homedir(), '.docker');
  const read = (name: string): Buffer => readFileSync(path.join(dir, name));
  return { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
}
