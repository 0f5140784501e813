import type { NodeSDK } from '@opentelemetry/sdk-node';

/** Incoming requests that would only add noise: probes every few seconds and Prometheus scrapes. */
const UNTRACED_PATHS = /^\/(health|metrics)(\/|\?|$)/;

/**
 * OpenTelemetry for the service, on only when OTEL_EXPORTER_OTLP_ENDPOINT is set: spans for incoming
 * HTTP, Fastify's handlers, every Postgres query made within a traced operation, and Kafka sends, sent
 * over OTLP/HTTP (JSON) to `${OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces`. The standard OTEL_* variables
 * (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER, OTEL_BSP_SCHEDULE_DELAY...) apply.
 *
 * The SDK is required only when enabled (it weighs some 20 MB of modules), and must start before
 * http, fastify, pg and kafkajs are first required, which is why main.ts imports ./register first.
 */
export function startTracing(env: NodeJS.ProcessEnv): NodeSDK | undefined {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { FastifyInstrumentation } = require('@opentelemetry/instrumentation-fastify') as typeof import('@opentelemetry/instrumentation-fastify');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const { KafkaJsInstrumentation } = require('@opentelemetry/instrumentation-kafkajs') as typeof import('@opentelemetry/instrumentation-kafkajs');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME || 'consent-ledger',
    traceExporter: new OTLPTraceExporter(),
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.test(request.url ?? '') }),
      new FastifyInstrumentation(),
      // Only queries inside a traced operation: the relay's and the scheduler's polling would
      // otherwise open a new trace every second.
      new PgInstrumentation({ requireParentSpan: true }),
      new KafkaJsInstrumentation(),
    ],
  });
  sdk.start();
  return sdk;
}
