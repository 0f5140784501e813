import { performance } from 'node:perf_hooks';
import { measure } from '../support/figure-result';
import { Figure } from '../support/figure';
import { runHttpLoad } from '../support/http-load';
import { alternateRounds, roundsOf } from '../support/load-comparison';
import { ServiceProcess } from '../support/service-process';
import { seedConsentState } from '../support/state-fixture';
import { percentile } from '../support/stats';
import { waitFor } from '../support/wait-for';
import { appendRequests } from './append';

const SEALED_TIMEOUT_MS = 10_000;
/** The service's default, which this figure runs with. */
const CHECKPOINT_INTERVAL_MS = 1_000;

/** Whether the subject's proof already holds an inclusion proof of the event in the latest signed checkpoint. */
async function isSealed(service: ServiceProcess, apiKey: string, subjectId: string, eventId: string): Promise<boolean> {
  const response = await fetch(`${service.baseUrl}/v1/subjects/${subjectId}/proof?purpose=newsletter`, { headers: { authorization: `Bearer ${apiKey}` } });
  if (response.status !== 200) return false;
  const proof = (await response.json()) as { inclusion: { eventId: string }[] };
  return proof.inclusion.some((entry) => entry.eventId === eventId);
}

/**
 * The transparency log's cost. Latency: from an event's 201 to the first signed checkpoint whose
 * tree includes it (one writer, so the event's leaf is the log's last; checkpoints come at most
 * every CHECKPOINT_INTERVAL_MS, 1000 ms by default, so about half an interval is expected).
 * Throughput: the append figure's load against a service with the sealer running, beside the same
 * load against one with it off (CHECKPOINT_INTERVAL_MS=0), rounds alternating.
 */
export const sealing: Figure = {
  id: 'sealing',
  title: 'Sealing (transparency log)',
  async run(context) {
    const { sizes } = context.options;
    const [sealedUrl, unsealedUrl] = await Promise.all([
      context.postgres.createLedgerDatabase('bench_sealing_on'),
      context.postgres.createLedgerDatabase('bench_sealing_off'),
    ]);
    await Promise.all([seedConsentState(sealedUrl, 1_000), seedConsentState(unsealedUrl, 1_000)]);
    const sealed = await context.startService({ databaseUrl: sealedUrl, relay: false, name: 'sealing-on' });
    let unsealed: ServiceProcess | undefined;
    try {
      const off = await context.startService({ databaseUrl: unsealedUrl, relay: false, name: 'sealing-off', env: { CHECKPOINT_INTERVAL_MS: '0' } });
      unsealed = off;
      const writer = await sealed.createApiKey('bench sealing', ['events:write', 'audit:read']);

      const latencies: number[] = [];
      for (let i = 0; i < sizes.sealingSamples; i++) {
        const subjectId = `sealing-${i}`;
        const response = await fetch(`${sealed.baseUrl}/v1/subjects/${subjectId}/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${writer}`, 'content-type': 'application/json' },
          body: JSON.stringify({ events: [{ type: 'ConsentGranted', purpose: 'newsletter' }], source: { channel: 'web' } }),
        });
        const acknowledgedAt = performance.now();
        if (response.status !== 201) throw new Error(`POST answered ${response.status}`);
        const { events } = (await response.json()) as { events: { eventId: string }[] };
        await waitFor('the event in a signed checkpoint', SEALED_TIMEOUT_MS, () => isSealed(sealed, writer, subjectId, events[0].eventId), 5);
        latencies.push(performance.now() - acknowledgedAt);
        // Spread the samples over the whole checkpoint interval: a sample sent just after a checkpoint
        // would otherwise always wait a full interval.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * CHECKPOINT_INTERVAL_MS));
      }

      const appendKey = (service: ServiceProcess) => service.createApiKey('bench sealing append', ['events:write']);
      const [sealedKey, unsealedKey] = await Promise.all([appendKey(sealed), appendKey(off)]);
      const load = (service: ServiceProcess, key: string, run: string, seconds: number) =>
        runHttpLoad({ url: service.baseUrl, connections: sizes.appendConnections, seconds, requests: appendRequests(key, run) });
      await Promise.all([load(sealed, sealedKey, 'warmup', sizes.warmupSeconds), load(off, unsealedKey, 'warmup', sizes.warmupSeconds)]);
      let offRuns = 0;
      const comparison = await alternateRounds(
        sizes.rounds,
        () => load(off, unsealedKey, `off${offRuns++}`, sizes.loadSeconds),
        (round) => load(sealed, sealedKey, `on${round}`, sizes.loadSeconds),
        (round, on, off) => context.log(`  round ${round + 1}: append with sealer ${on.perSecond.toFixed(0)}/s, without ${off.perSecond.toFixed(0)}/s`),
      );
      const median = (values: number[]) => percentile(values, 0.5);
      const withSealer = median(comparison.subject.map((r) => r.perSecond));
      const without = median(comparison.baseline.map((r) => r.perSecond));
      return {
        measures: [
          measure('p50, 201 → in a signed checkpoint', percentile(latencies, 0.5), 'ms'),
          measure('p99, 201 → in a signed checkpoint', percentile(latencies, 0.99), 'ms'),
          measure('append with the sealer running', withSealer, 'events/s', { baseline: { label: 'append, sealer off', value: without } }),
        ],
        rounds: { sealedMs: latencies, ...roundsOf(comparison) },
        note: `${sizes.sealingSamples} events one at a time, CHECKPOINT_INTERVAL_MS 1000; append: ${sizes.appendConnections} clients, ` +
          `one event per request, sealer on vs CHECKPOINT_INTERVAL_MS=0, ${sizes.rounds} alternating rounds of ${sizes.loadSeconds} s.`,
      };
    } finally {
      await Promise.allSettled([sealed.stop(), unsealed?.stop()]);
    }
  },
};
