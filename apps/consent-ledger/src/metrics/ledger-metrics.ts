import { Histogram } from 'prom-client';

const buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * The two operations the ledger is judged on, timed inside the service (decision and Postgres), apart
 * from HTTP parsing and serialisation which the per-route HTTP histogram includes.
 */
export const ledgerMetrics = {
  append: new Histogram({
    name: 'consent_ledger_append_duration_seconds',
    help: "Time to append a subject's events: state read, decision, group commit (events, head, projection), until committed",
    buckets,
  }),
  check: new Histogram({
    name: 'consent_ledger_check_duration_seconds',
    help: 'Time to answer a check from the projection, by kind (single or bulk)',
    labelNames: ['kind'] as const,
    buckets,
  }),
};

/** Observes how long `work` takes in `histogram`, whether it resolves or throws. */
export async function timed<T>(histogram: { startTimer(): () => unknown }, work: () => Promise<T>): Promise<T> {
  const stop = histogram.startTimer();
  try {
    return await work();
  } finally {
    stop();
  }
}
