// First: tracing instruments http, fastify, pg and kafkajs only if it starts before they load.
import { tracing } from './tracing/register';
import 'reflect-metadata';
import { KafkaBroker } from '@consent-ledger/kafka-testkit';
import { startEmbeddedPostgres, withPgClient } from '@consent-ledger/runtime';
import { join } from 'node:path';
import { embeddedAdminKey } from './config/admin-key';
import { readConfig } from './config/app-config';
import { createHttpApp } from './http-app';
import { GracefulShutdown } from './http/graceful-shutdown';
import { runMigrateCommand } from './infrastructure/migrate-command';

const EMBEDDED_DATABASE = 'consent_ledger';

/**
 * `npm start`: with DATABASE_URL unset, an embedded Postgres keeps its data in .data/postgres and
 * the service listens on loopback only (unless HOST says otherwise); with KAFKA_BROKERS unset, the
 * in-repo broker keeps its log in .data/kafka. SIGINT and SIGTERM stop it gracefully (stop()).
 * `main.js migrate` only migrates DATABASE_URL and exits.
 */
async function main(): Promise<void> {
  const startedAt = Date.now();
  const config = readConfig();
  if (process.argv[2] === 'migrate') return runMigrateCommand(config);
  // Stopped last, so that the spans of the shutdown itself are flushed.
  const sdk = tracing;
  const stops: (() => Promise<void>)[] = sdk ? [() => sdk.shutdown()] : [];

  if (!config.databaseUrl) {
    const postgres = await startEmbeddedPostgres({ dataDir: join(config.dataDir, 'postgres'), stopOnSignals: false });
    stops.unshift(() => postgres.stop());
    config.databaseUrl = await ensureDatabase(postgres.url, EMBEDDED_DATABASE);
    config.adminKey ??= embeddedAdminKey(config.dataDir);
  }

  // Before the app, so that its relay finds a broker to connect to.
  if (!config.kafkaBrokers && config.relayEnabled) {
    const broker = await KafkaBroker.start({ port: config.embeddedKafkaPort, dataDir: join(config.dataDir, 'kafka') });
    stops.unshift(() => broker.stop());
    config.kafkaBrokers = [broker.address];
  }

  const app = await createHttpApp(config);
  stops.unshift(() => app.get(GracefulShutdown).close(app, config.shutdownGraceMs));
  const host = config.host ?? (process.env.DATABASE_URL ? '0.0.0.0' : '127.0.0.1');
  await app.listen(config.port, host);

  const url = `http://${host === '0.0.0.0' ? 'localhost' : host.includes(':') ? `[${host}]` : host}:${config.port}`;
  const lines = [`consent-ledger ready on ${url} (docs: ${url}/docs) in ${Date.now() - startedAt} ms`];
  if (!process.env.DATABASE_URL) lines.push(`embedded Postgres: ${redactPassword(config.databaseUrl)}`);
  if (!process.env.KAFKA_BROKERS && config.kafkaBrokers) lines.push(`embedded Kafka: ${config.kafkaBrokers.join(',')}`);
  if (!process.env.CONSENT_ADMIN_KEY && config.adminKey) lines.push(`admin API key (every scope): ${config.adminKey}`);
  if (!config.adminKey) lines.push('no CONSENT_ADMIN_KEY: only API keys already in the database are accepted');
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping\n`);
    let failed = false;
    for (const stop of stops) {
      await stop().catch((error) => {
        failed = true;
        process.stderr.write(`${error}\n`);
      });
    }
    process.exit(failed ? 1 : 0);
  };
  // Postgres stops last (stopOnSignals: false above): were it stopped first, the requests in flight
  // would end with 'terminating connection due to administrator command'.
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  await withPgClient(adminUrl, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function redactPassword(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  if (url.password) url.password = '***';
  return url.toString();
}

main().catch((error) => {
  process.stderr.write(`consent-ledger failed to start: ${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
