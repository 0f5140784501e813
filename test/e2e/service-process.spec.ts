import { subjectStreamId } from '@consent-ledger/domain';
import { findFreePort, startEmbeddedPostgres, withPgClient } from '@consent-ledger/runtime';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const ENTRY = 'dist/apps/consent-ledger/main.js';
const WRITES = 2_000;

interface Outcome {
  subjectId: string;
  status?: number;
  error?: string;
}

/**
 * The built service as `npm start` runs it, on embedded defaults (its own Postgres and broker
 * under a fresh data dir), in its own process: what it logs and how it stops are properties of
 * that process, not of an app inside jest.
 */
describe('the service process', () => {
  let dataDir: string;
  let child: ChildProcess;
  let output = '';
  let baseUrl: string;
  const adminKey = `clk_admin_${randomBytes(12).toString('hex')}`;

  beforeAll(async () => {
    // Builds only when a source changed since the last build (the same script `npm start` runs).
    execFileSync(process.execPath, ['scripts/build-if-stale.js', 'consent-ledger', ENTRY], { cwd: ROOT, stdio: 'ignore' });
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-service-'));
    // As root, embedded Postgres runs as the OS user postgres, which must be able to enter it.
    chmodSync(dataDir, 0o755);
    const port = await findFreePort('127.0.0.1');
    child = spawn(process.execPath, [ENTRY], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH, HOME: process.env.HOME,
        PORT: String(port), EMBEDDED_KAFKA_PORT: String(await findFreePort('127.0.0.1')),
        CONSENT_DATA_DIR: dataDir, CONSENT_ADMIN_KEY: adminKey, LOG_LEVEL: 'info', SHUTDOWN_GRACE_MS: '10000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const started = Date.now();
    while (!output.includes('consent-ledger ready on')) {
      if (child.exitCode !== null) throw new Error(`the service exited before it was ready:\n${output}`);
      if (Date.now() - started > 120_000) throw new Error(`not ready after 120 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    baseUrl = `http://127.0.0.1:${port}`;
    const purpose = await call('PUT', '/v1/purposes/newsletter', { title: 'Newsletter', description: 'Weekly e-mail.', legalBasis: 'consent' });
    expect(purpose.status).toBe(201);
  }, 300_000);

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  const agent = new Agent({ keepAlive: true, maxSockets: 100 });

  function call(method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? '' : JSON.stringify(body);
      const json = body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) };
      const req = request(`${baseUrl}${path}`, {
        method, agent,
        headers: { authorization: `Bearer ${adminKey}`, ...json, ...headers },
      }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  it('listens on loopback only in embedded mode', async () => {
    expect(output).toContain(`consent-ledger ready on ${baseUrl}`);
    const external = Object.values(networkInterfaces()).flat().find((address) => address && address.family === 'IPv4' && !address.internal);
    if (!external) return; // a machine with loopback only has nothing else to try
    const socket = connect({ host: external.address, port: Number(new URL(baseUrl).port) });
    const [error] = (await once(socket, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNREFUSED');
  });

  it('logs no header, address, idempotency key or body of the requests it serves', async () => {
    const secrets = {
      userAgent: 'Mozilla/5.0 (secret-agent-7f3a)',
      forwardedFor: '198.51.100.77',
      idempotencyKey: 'signup-jane@example.com',
      cookie: 'session=cookie-secret-91b2',
      ip: '203.0.113.99',
      evidence: 'evidence-secret-4c1d',
      bogusKey: 'clk_leaked_key_5e6f',
    };
    const headers = { 'user-agent': secrets.userAgent, 'x-forwarded-for': secrets.forwardedFor, cookie: secrets.cookie };
    const posted = await call('POST', '/v1/subjects/log-subject/events', {
      events: [{ type: 'ConsentGranted', purpose: 'newsletter' }],
      source: { channel: 'web' },
      proof: { ip: secrets.ip, userAgent: secrets.userAgent, evidence: { note: secrets.evidence } },
    }, { ...headers, 'idempotency-key': secrets.idempotencyKey });
    expect(posted.status).toBe(201);
    expect((await call('POST', '/v1/subjects/log-subject/events', { events: [[]] }, headers)).status).toBe(400);
    expect((await call('GET', '/v1/purposes', undefined, { ...headers, authorization: `Bearer ${secrets.bogusKey}` })).status).toBe(401);
    // pino writes synchronously to stdout; a probe after the requests makes sure their lines arrived.
    expect((await call('GET', '/v1/purposes', undefined)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(output).toContain('/v1/subjects/log-subject/events');
    for (const secret of [...Object.values(secrets), adminKey]) expect(output).not.toContain(secret);
    expect(output).not.toMatch(/remoteAddress|remotePort|"headers"/);
  });

  it('on SIGTERM during 2,000 concurrent writes, answers what it accepted, keeps every acknowledged event and exits 0', async () => {
    let acknowledged = 0;
    let signalled = false;
    const writes = Array.from({ length: WRITES }, (_, i) => `load-${i}`).map(async (subjectId): Promise<Outcome> => {
      try {
        const response = await call('POST', `/v1/subjects/${subjectId}/events`, { events: [{ type: 'ConsentGranted', purpose: 'newsletter' }], source: { channel: 'web' } });
        if (response.status === 201 && ++acknowledged === 300 && !signalled) {
          signalled = true;
          child.kill('SIGTERM');
        }
        return { subjectId, status: response.status };
      } catch (error) {
        return { subjectId, error: (error as NodeJS.ErrnoException).code ?? String(error) };
      }
    });
    const outcomes = await Promise.all(writes);
    const code = child.exitCode ?? ((await once(child, 'exit')) as [number | null])[0];
    agent.destroy();

    expect(signalled).toBe(true);
    expect(code).toBe(0);
    expect(output).not.toMatch(/Unhandled|terminating connection|ECONNRESET|\bat .*\.js:\d+/);
    // Every connection the service accepted was answered and closed by it, none cut at the deadline.
    expect(output).not.toContain('closed by force');

    const byOutcome = (keep: (outcome: Outcome) => boolean) => outcomes.filter(keep).map((outcome) => outcome.subjectId);
    const created = byOutcome((outcome) => outcome.status === 201);
    const notCreated = byOutcome((outcome) => outcome.status !== 201);
    // Whatever was not acknowledged was refused before the service read it: refused outright once the
    // listener was closed, or reset by the kernel while still in its accept queue when it closed.
    expect(outcomes.filter((outcome) => outcome.status !== undefined && outcome.status !== 201)).toEqual([]);
    expect(outcomes.filter((outcome) => outcome.error && !['ECONNREFUSED', 'ECONNRESET'].includes(outcome.error))).toEqual([]);
    expect(created.length).toBeGreaterThanOrEqual(300);

    // The service stopped its Postgres; start it again on the same directory (and password) to look.
    const postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres') });
    try {
      const url = new URL(postgres.url);
      url.pathname = '/consent_ledger';
      const stored = await withPgClient(url.toString(), async (client) =>
        new Set((await client.query<{ stream_id: string }>(`SELECT DISTINCT stream_id FROM events WHERE stream_id LIKE 'subject:load-%'`)).rows.map((row) => row.stream_id)));
      expect(created.filter((subjectId) => !stored.has(subjectStreamId(subjectId)))).toEqual([]);
      expect(notCreated.filter((subjectId) => stored.has(subjectStreamId(subjectId)))).toEqual([]);
      const refusals = outcomes.filter((outcome) => outcome.error === 'ECONNREFUSED').length;
      process.stdout.write(`SIGTERM under load: ${created.length} acknowledged, ${refusals} refused, ${notCreated.length - refusals} reset in the accept queue\n`);
    } finally {
      await postgres.stop();
    }
  }, 180_000);
});
