import { ConsentClient } from '@consent-ledger/consent-client';
import { performance } from 'node:perf_hooks';
import { logLevel } from 'kafkajs';
import { measure } from '../support/figure-result';
import { Figure } from '../support/figure';
import { ServiceProcess } from '../support/service-process';
import { seedConsentState } from '../support/state-fixture';
import { percentile } from '../support/stats';
import { waitFor } from '../support/wait-for';
import { withdrawal } from './propagation';

const SERVICE_ID = 'bench-subscriber';
/** The subject propagation's withdrawal(i) writes to. */
const subjectOf = (i: number): string => `propagation-${i + 1}`;
const FIRST_EVENT_TIMEOUT_MS = 30_000;
const EVENT_TIMEOUT_MS = 10_000;

/**
 * When each subject's withdrawal reached the subscriber's onChange (by subject: the change may come from the
 * state topic first, without an event id), and when the ledger answered 200 to the batch acknowledging it.
 */
class Milestones {
  readonly changed = new Map<string, number>();
  readonly acknowledged = new Map<string, number>();

  /** `changeMs` is undefined when no onChange was called for the subject (the SDK acknowledges a denial it already held, too). */
  async after(subjectId: string, eventId: string, sentAt: number, timeoutMs: number): Promise<{ changeMs?: number; acknowledgedMs: number }> {
    await waitFor(`the acknowledgement of ${eventId}`, timeoutMs, () => this.acknowledged.has(eventId), 1);
    const changedAt = this.changed.get(subjectId);
    return {
      ...(changedAt === undefined ? {} : { changeMs: Math.max(0, changedAt - sentAt) }),
      acknowledgedMs: Math.max(0, (this.acknowledged.get(eventId) as number) - sentAt),
    };
  }
}

/**
 * Watches the SDK's POST /v1/enforcements/batch from inside the bench process: the instant its 200 is
 * read is when the ledger holds the acknowledgement. Instrumentation only; the request goes through as is.
 */
function observeAcknowledgements(milestones: Milestones): () => void {
  const original = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const response = await original(input, init);
    if (String(input).endsWith('/v1/enforcements/batch') && response.status === 200 && typeof init?.body === 'string') {
      const at = performance.now();
      for (const { eventId } of (JSON.parse(init.body) as { acknowledgements: { eventId: string }[] }).acknowledgements) {
        milestones.acknowledged.set(eventId, at);
      }
    }
    return response;
  };
  return () => {
    globalThis.fetch = original;
  };
}

/**
 * Closed-loop enforcement: from a withdrawal's 201 to the ledger holding the acknowledgement of an SDK
 * subscriber (relay, Kafka, the client's cache and onChange, its batched POST). Baseline: the same path up
 * to the subscriber's onChange, so the difference is what acknowledging adds. Default client settings.
 */
export const enforcement: Figure = {
  id: 'enforcement',
  title: 'Enforcement acknowledgement',
  async run(context) {
    const url = await context.postgres.createLedgerDatabase('bench_enforcement');
    await seedConsentState(url, 1_000);
    const milestones = new Milestones();
    const restoreFetch = observeAcknowledgements(milestones);
    let service: ServiceProcess | undefined;
    let client: ConsentClient | undefined;
    try {
      service = await context.startService({ databaseUrl: url, relay: true, name: 'enforcement' });
      const registered = await fetch(`${service.baseUrl}/v1/services/${SERVICE_ID}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${service.adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Bench subscriber', purposes: ['newsletter'], slaSeconds: 60 }),
      });
      if (registered.status !== 201) throw new Error(`PUT /v1/services answered ${registered.status}`);
      const withdraw = withdrawal(service, await service.createApiKey('bench enforcement writer', ['events:write']));
      client = new ConsentClient({
        brokers: [context.kafkaBrokers],
        httpBaseUrl: service.baseUrl,
        // The admin key holds enforcements:write and is bound to no service.
        apiKey: service.adminKey,
        clientId: 'bench-enforcement',
        enforcement: { service: SERVICE_ID },
        kafka: { logLevel: logLevel.NOTHING },
        consumer: { maxWaitTimeInMs: 100 },
      });
      client.onChange((change) => {
        if (!milestones.changed.has(change.subjectId)) milestones.changed.set(change.subjectId, performance.now());
      });
      await client.start();

      const first = await withdraw(-1);
      await milestones.after(subjectOf(-1), first.eventId, first.sentAt, FIRST_EVENT_TIMEOUT_MS);
      const acknowledged: number[] = [];
      const changed: number[] = [];
      for (let i = 0; i < context.options.sizes.propagationSamples; i++) {
        const sent = await withdraw(i);
        const { changeMs, acknowledgedMs } = await milestones.after(subjectOf(i), sent.eventId, sent.sentAt, EVENT_TIMEOUT_MS);
        acknowledged.push(acknowledgedMs);
        if (changeMs !== undefined) changed.push(changeMs);
      }
      const baseline = { label: "201 → the subscriber's onChange" };
      return {
        measures: [
          measure('p50, 201 → acknowledgement stored', percentile(acknowledged, 0.5), 'ms', { baseline: { ...baseline, value: percentile(changed, 0.5) } }),
          measure('p99, 201 → acknowledgement stored', percentile(acknowledged, 0.99), 'ms', { baseline: { ...baseline, value: percentile(changed, 0.99) } }),
        ],
        rounds: { acknowledgedMs: acknowledged, changeMs: changed },
        note: `${context.options.sizes.propagationSamples} withdrawals, one at a time; one ConsentClient with enforcement on (default 5 ms linger) in the bench process; in-repo Kafka broker in its own process.`,
      };
    } finally {
      await client?.stop();
      restoreFetch();
      await service?.stop();
    }
  },
};
