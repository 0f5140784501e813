import { Gauge } from 'prom-client';

/** The sealer's Prometheus metrics, on the default registry that GET /metrics serves (names the alerts and dashboard use). */
export const sealerMetrics = {
  lag: new Gauge({
    name: 'consent_ledger_sealer_lag',
    help: 'Log positions committed but not yet sealed into the transparency log (approximate: positions have gaps)',
  }),
  checkpointAge: new Gauge({
    name: 'consent_ledger_checkpoint_age_seconds',
    help: 'Seconds since the latest signed checkpoint (grows while nothing arrives: read it with the sealer lag)',
  }),
};
