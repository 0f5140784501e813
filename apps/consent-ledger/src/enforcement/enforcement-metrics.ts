import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DENYING_EVENT_TYPES } from '@consent-ledger/domain';
import { EnforcementLog, ServiceEnforcementSummary } from '@consent-ledger/ledger-store';
import { Gauge, Histogram } from 'prom-client';
import { EnforcementClock } from './enforcement-clock';

/** One summary query serves every gauge of one scrape (prom-client collects them concurrently). */
const SUMMARY_REUSE_MS = 1_000;

type SummarySource = () => Promise<ServiceEnforcementSummary[]>;
let source: SummarySource | null = null;
let lastSummary: { at: number; summary: Promise<ServiceEnforcementSummary[]> } | null = null;

function currentSummary(): Promise<ServiceEnforcementSummary[]> {
  if (source === null) return Promise.resolve([]);
  if (lastSummary === null || Date.now() - lastSummary.at > SUMMARY_REUSE_MS) {
    lastSummary = { at: Date.now(), summary: source() };
    // A failed query (database down) shows as missing series, not a failed scrape.
    lastSummary.summary = lastSummary.summary.catch(() => []);
  }
  return lastSummary.summary;
}

/** A gauge per service read from the database at scrape time, so every instance reports the same values. */
const summaryGauge = (name: string, help: string, value: (summary: ServiceEnforcementSummary, now: number) => number) =>
  new Gauge({
    name,
    help,
    labelNames: ['service'] as const,
    async collect() {
      const summaries = await currentSummary();
      this.reset();
      const now = Date.now();
      for (const summary of summaries) this.set({ service: summary.serviceId }, value(summary, now));
    },
  });

/** Prometheus metrics of closed-loop enforcement, on the default registry GET /metrics serves. */
export const enforcementMetrics = {
  timeToEnforce: new Histogram({
    name: 'consent_ledger_enforcement_latency_seconds',
    help: "Time from a denying event's recordedAt to its enforcement by a service (first acknowledgements only)",
    labelNames: ['service'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 86400],
  }),
  pending: summaryGauge(
    'consent_ledger_enforcement_pending_events',
    'Denying events a registered service has not acknowledged yet',
    (summary) => summary.pending,
  ),
  breaches: summaryGauge(
    'consent_ledger_enforcement_sla_breaches',
    "Denying events a service has not acknowledged within its slaSeconds",
    (summary) => summary.breached,
  ),
  oldestPendingAge: summaryGauge(
    'consent_ledger_enforcement_oldest_pending_age_seconds',
    'Age of the oldest denying event a service has not acknowledged; 0 when none',
    (summary, now) => (summary.oldestPendingAt === null ? 0 : (now - summary.oldestPendingAt.getTime()) / 1000),
  ),
  lastAcknowledgement: summaryGauge(
    'consent_ledger_enforcement_last_acknowledgement_timestamp_seconds',
    'When a service last acknowledged anything (Unix seconds); 0 when never',
    (summary) => (summary.lastAcknowledgedAt === null ? 0 : summary.lastAcknowledgedAt.getTime() / 1000),
  ),
};

/** Feeds the gauges from this instance's database, as of the enforcement clock. */
@Injectable()
export class EnforcementMetricsSource implements OnModuleInit, OnModuleDestroy {
  private readonly read: SummarySource = () => this.log.summary(DENYING_EVENT_TYPES, this.clock.now());

  constructor(
    private readonly log: EnforcementLog,
    private readonly clock: EnforcementClock,
  ) {}

  onModuleInit(): void {
    source = this.read;
    lastSummary = null;
  }

  onModuleDestroy(): void {
    if (source === this.read) source = null;
    lastSummary = null;
  }
}
