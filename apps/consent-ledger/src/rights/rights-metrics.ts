import { Counter } from 'prom-client';

/** Module-level like the other counters: several apps in one process (tests) share the default registry. */
export const rightsMetrics = {
  erasures: new Counter({
    name: 'consent_subject_erasures_total',
    help: 'Subjects erased (SubjectErased appended and data key destroyed), by reason',
    labelNames: ['reason'] as const,
  }),
  idempotencyRecordsDropped: new Counter({
    name: 'consent_retention_idempotency_records_dropped_total',
    help: 'Idempotency records dropped by the retention sweep after IDEMPOTENCY_TTL_DAYS',
  }),
  subjectsShredded: new Counter({
    name: 'consent_retention_subjects_shredded_total',
    help: 'Subjects whose personal proof fields the retention sweep shredded after PROOF_RETENTION_YEARS without an event',
  }),
  sweeps: new Counter({
    name: 'consent_retention_sweeps_total',
    help: 'Retention sweeps, by outcome (done, skipped: another instance holds the sweep lock, failed)',
    labelNames: ['outcome'] as const,
  }),
};
