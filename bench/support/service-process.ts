import { findFreePort } from '@consent-ledger/runtime';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutputTail } from './output-tail';
import { waitFor } from './wait-for';

/** The service as `npm start` builds it; the bench's npm script builds it first. */
export const SERVICE_ENTRY = join(process.cwd(), 'dist', 'apps', 'consent-ledger', 'main.js');

const STOP_TIMEOUT_MS = 20_000;

export interface ServiceOptions {
  databaseUrl: string;
  kafkaBrokers: string;
  relay: boolean;
  /** When set, the service writes a V8 CPU profile named `<profileName>.cpuprofile` there on exit. */
  profileDir?: string;
  profileName?: string;
  /** More environment for the service (e.g. CHECKPOINT_INTERVAL_MS). */
  env?: Record<string, string>;
}

/**
 * The built service in its own process, as in production, so that it never shares an event loop
 * (or a JIT, or a garbage collector) with the load generator in the bench process.
 */
export class ServiceProcess {
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
    readonly adminKey: string,
    private readonly dataDir: string,
    private readonly output: OutputTail,
  ) {
    child.once('exit', () => {
      this.exited = true;
    });
  }

  static async start(options: ServiceOptions): Promise<ServiceProcess> {
    if (!existsSync(SERVICE_ENTRY)) throw new Error(`${SERVICE_ENTRY} is missing: run npx nest build consent-ledger`);
    const port = await findFreePort('127.0.0.1');
    const adminKey = `bench-admin-${randomBytes(12).toString('hex')}`;
    const dataDir = await mkdtemp(join(tmpdir(), 'consent-ledger-bench-service-'));
    const nodeArgs = options.profileDir
      ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`, `--cpu-prof-name=${options.profileName ?? 'service'}.cpuprofile`]
      : [];
    const child = spawn(process.execPath, [...nodeArgs, SERVICE_ENTRY], {
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: options.databaseUrl,
        KAFKA_BROKERS: options.kafkaBrokers,
        RELAY_ENABLED: String(options.relay),
        CONSENT_ADMIN_KEY: adminKey,
        CONSENT_MASTER_KEY: randomBytes(32).toString('base64'),
        CONSENT_DATA_DIR: dataDir,
        // The figures measure the service, not the limiter refusing the load generator.
        RATE_LIMIT_PER_SECOND: '1000000000',
        LOG_LEVEL: 'warn',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = new OutputTail();
    child.stdout?.on('data', (chunk: Buffer) => output.write(chunk));
    child.stderr?.on('data', (chunk: Buffer) => output.write(chunk));
    const service = new ServiceProcess(child, `http://127.0.0.1:${port}`, adminKey, dataDir, output);
    try {
      await waitFor('the service to answer /health/live', 60_000, async () => {
        if (service.exited) throw new Error(`the service exited during start:\n${output.text()}`);
        const response = await fetch(`${service.baseUrl}/health/live`).catch(() => undefined);
        return response?.status === 200;
      });
    } catch (error) {
      await service.stop();
      throw error;
    }
    return service;
  }

  /**
   * A key as a real caller holds one (stored hashed, cached by the service), rather than the
   * bootstrap admin key, which the service checks without its key store.
   */
  async createApiKey(name: string, scopes: string[]): Promise<string> {
    const response = await fetch(`${this.baseUrl}/v1/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name, scopes }),
    });
    const body = (await response.json()) as { secret?: string };
    if (response.status !== 201 || !body.secret) throw new Error(`POST /v1/api-keys answered ${response.status}: ${JSON.stringify(body)}`);
    return body.secret;
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** What the service printed last, to explain a failure. */
  recentOutput(): string {
    return this.output.text();
  }

  /** SIGTERM first: main.ts then closes the app, and a --cpu-prof profile is written on the way out. */
  async stop(): Promise<void> {
    if (!this.exited) {
      const exit = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => {
        process.stderr.write(`the service did not stop within ${STOP_TIMEOUT_MS} ms of SIGTERM; killing it (no CPU profile):\n${this.output.text()}\n`);
        this.child.kill('SIGKILL');
      }, STOP_TIMEOUT_MS);
      await exit;
      clearTimeout(timer);
    }
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
