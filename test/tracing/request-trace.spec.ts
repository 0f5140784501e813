import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TopicCollector, newsletter, runKafkaBrokers, sql, uniquePrefix, until } from '../relay/relay-fixture';
import { createTestDatabase, dropTestDatabase } from '../support/test-database';
import { OtlpCollector, ReceivedSpan } from './otlp-collector';

const repo = join(__dirname, '../..');
const SERVER = 2;
const PRODUCER = 4;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The service as `npm start` runs it (apps/consent-ledger/src/main.ts, compiled on the fly by swc so
 * that no build is needed), in its own process: OpenTelemetry patches modules as Node loads them,
 * which jest's module registry would bypass.
 */
async function startTracedLedger(env: Record<string, string>): Promise<{ child: ChildProcessWithoutNullStreams; output: () => string }> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/consent-ledger/src/main.ts'], {
    cwd: repo,
    env: { ...process.env, ...env, SWC_NODE_PROJECT: join(repo, 'tsconfig.json') },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  await until(() => output.includes('consent-ledger ready on') || child.exitCode !== null, 'the traced ledger to start', 60_000);
  if (child.exitCode !== null) throw new Error(`the ledger exited: ${output}`);
  return { child, output: () => output };
}

describe('tracing with an OTLP endpoint: one POST, one trace from HTTP to Postgres to Kafka', () => {
  let collector: OtlpCollector;
  let topics: TopicCollector;
  let ledger: { child: ChildProcessWithoutNullStreams; output: () => string };
  let databaseUrl: string;
  let baseUrl: string;
  const adminKey = `test-admin-${randomBytes(8).toString('hex')}`;
  const subjectId = uniquePrefix('traced');

  beforeAll(async () => {
    collector = await OtlpCollector.start();
    databaseUrl = await createTestDatabase('tracing');
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    ledger = await startTracedLedger({
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: runKafkaBrokers().join(','),
      CONSENT_ADMIN_KEY: adminKey,
      CONSENT_MASTER_KEY: randomBytes(32).toString('base64'),
      CONSENT_DATA_DIR: mkdtempSync(join(tmpdir(), 'ledger-tracing-')),
      LOG_LEVEL: 'warn',
      EXPIRY_INTERVAL_MS: '0',
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
      OTEL_SERVICE_NAME: 'consent-ledger-under-test',
      // Export within 50 ms instead of 5 s.
      OTEL_BSP_SCHEDULE_DELAY: '50',
    });
    // The relay creates the topics when it connects; subscribe after that.
    await until(async () => {
      const ready = (await (await fetch(`${baseUrl}/health/ready`)).json()) as { info?: { kafka?: { state?: string; relay?: string } } };
      return ready.info?.kafka?.state === 'connected' && ready.info?.kafka?.relay === 'active';
    }, 'the relay to connect to Kafka', 30_000);
    topics = await TopicCollector.start(runKafkaBrokers(), subjectId);
  }, 120_000);

  afterAll(async () => {
    await topics?.stop();
    if (ledger && ledger.child.exitCode === null) {
      const exited = new Promise((resolve) => ledger.child.once('exit', resolve));
      ledger.child.kill('SIGTERM');
      await exited;
    }
    await collector?.stop();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('covers the HTTP request, the Postgres append and the Kafka publish, the publish linked to the request', async () => {
    expect((await call('PUT', '/v1/purposes/newsletter', newsletter)).status).toBe(201);
    const posted = await call('POST', `/v1/subjects/${subjectId}/events`, { events: [{ type: 'ConsentGranted', purpose: 'newsletter' }], source: { channel: 'web' } });
    expect(posted.status).toBe(201);
    const [{ eventId }] = ((await posted.json()) as { events: { eventId: string }[] }).events;

    // The request's server span, found by its route and path (the subject id is in the URL).
    let request: ReceivedSpan | undefined;
    await until(() => {
      request = collector.spans.find((s) => s.kind === SERVER && String(s.attributes['http.target'] ?? s.attributes['url.path'] ?? '').includes(`/v1/subjects/${subjectId}/events`));
      return request !== undefined;
    }, 'the POST server span to be exported');
    const traceId = request!.traceId;
    expect(request!.scope).toBe('@opentelemetry/instrumentation-http');
    expect(request!.attributes['http.route']).toBe('/v1/subjects/:subjectId/events');

    // The append: the group commit's call (a lone write is sent at once, so in the request's own trace;
    // a write that waited for a batch is in the trace of the request whose batch carried it).
    await until(() => collector.inTrace(traceId).some((s) => /append_subject_batch/.test(String(s.attributes['db.statement'] ?? s.attributes['db.query.text'] ?? ''))),
      'the Postgres append span');
    const trace = collector.inTrace(traceId);
    expect(trace.some((s) => s.scope === '@opentelemetry/instrumentation-fastify')).toBe(true);
    const append = trace.find((s) => /append_subject_batch/.test(String(s.attributes['db.statement'] ?? s.attributes['db.query.text'])))!;
    expect(append.scope).toBe('@opentelemetry/instrumentation-pg');

    // The relay's publish: its own trace (the relay works outside the request), linked to a span of the request's.
    let publish: ReceivedSpan | undefined;
    await until(() => {
      publish = collector.spans.find((s) => s.name === 'publish consent.events.v1' && s.links.some((l) => l.traceId === traceId));
      return publish !== undefined;
    }, 'the publish span linked to the request');
    expect(publish!.kind).toBe(PRODUCER);
    const link = publish!.links.find((l) => l.traceId === traceId)!;
    expect(trace.map((s) => s.spanId)).toContain(link.spanId);

    // kafkajs's send span, under the publish span, is what the message's headers carry to subscribers.
    await until(() => collector.inTrace(publish!.traceId).some((s) => s.scope === '@opentelemetry/instrumentation-kafkajs'), 'the kafkajs send span');
    const sends = collector.inTrace(publish!.traceId).filter((s) => s.scope === '@opentelemetry/instrumentation-kafkajs');
    expect(sends.every((s) => s.parentSpanId === publish!.spanId)).toBe(true);
    await until(() => topics.events().some((m) => m.value.eventId === eventId), 'the event on consent.events.v1');
    const message = topics.events().find((m) => m.value.eventId === eventId)!;
    const [, headerTraceId, headerSpanId] = message.headers.traceparent.split('-');
    expect(headerTraceId).toBe(publish!.traceId);
    expect(sends.map((s) => s.spanId)).toContain(headerSpanId);
    // Operational data only: not in the published value.
    expect(JSON.stringify(message.value)).not.toContain(traceId);

    // The outbox row keeps the request's context, outside the hashed body.
    const [row] = await sql<{ trace_parent: string; metadata: unknown }>(databaseUrl, `SELECT trace_parent, metadata FROM events WHERE event_id = '${eventId}'`);
    expect(row.trace_parent).toBe(`00-${traceId}-${link.spanId}-01`);
    expect(JSON.stringify(row.metadata)).not.toContain(traceId);
  }, 60_000);
});
