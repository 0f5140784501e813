import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../../apps/consent-ledger/src/config/app-config';
import { createHttpApp } from '../../apps/consent-ledger/src/http-app';
import { createTestDatabase } from '../support/test-database';

export interface HttpResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** The real service on Fastify, listening on a free port, over its own fresh database. */
export class LedgerApp {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly baseUrl: string,
    readonly adminKey: string,
    readonly databaseUrl: string,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<LedgerApp> {
    // A second instance over the same database passes its DATABASE_URL.
    const databaseUrl = env.DATABASE_URL ?? (await createTestDatabase('e2e'));
    const adminKey = env.CONSENT_ADMIN_KEY ?? `test-admin-${randomBytes(8).toString('hex')}`;
    const config = readConfig({
      CONSENT_ADMIN_KEY: adminKey,
      CONSENT_MASTER_KEY: randomBytes(32).toString('base64'),
      CONSENT_DATA_DIR: mkdtempSync(join(tmpdir(), 'ledger-e2e-')),
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_SECOND: '100000',
      EXPIRY_INTERVAL_MS: '0',
      ...env,
      DATABASE_URL: databaseUrl,
    });
    const app = await createHttpApp(config);
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address() as { port: number };
    return new LedgerApp(app, `http://127.0.0.1:${address.port}`, adminKey, databaseUrl);
  }

  async request<T = any>(method: string, path: string, options: { body?: unknown; rawBody?: string; key?: string | null; headers?: Record<string, string> } = {}): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    const key = options.key === undefined ? this.adminKey : options.key;
    if (key !== null) headers.authorization = `Bearer ${key}`;
    let payload: string | undefined = options.rawBody;
    if (options.body !== undefined) payload = JSON.stringify(options.body);
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: payload });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  get = <T = any>(path: string, key?: string | null) => this.request<T>('GET', path, { key });
  post = <T = any>(path: string, body: unknown, headers?: Record<string, string>) => this.request<T>('POST', path, { body, headers });
  put = <T = any>(path: string, body: unknown) => this.request<T>('PUT', path, { body });

  async close(): Promise<void> {
    await this.app.close();
  }
}
