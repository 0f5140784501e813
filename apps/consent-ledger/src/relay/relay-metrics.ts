import { Counter, Gauge, Histogram } from 'prom-client';

/** The relay's Prometheus metrics, on the default registry that GET /metrics serves. */
export const relayMetrics = {
  published: new Counter({
    name: 'consent_ledger_relay_published_messages_total',
    help: 'Messages the relay published and Kafka acknowledged, by topic',
    labelNames: ['topic'] as const,
  }),
  lag: new Gauge({
    name: 'consent_ledger_relay_lag_positions',
    help: 'The newest log position minus the highest the relay published (approximate: positions have gaps)',
  }),
  latency: new Histogram({
    name: 'consent_ledger_relay_publish_latency_seconds',
    help: "Time from an event's recordedAt to Kafka's acknowledgement of it",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  }),
};
