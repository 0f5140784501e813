import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Consumer, Kafka, Producer, logLevel } from 'kafkajs';
import { measure } from '../support/figure-result';
import { Figure } from '../support/figure';
import { ServiceProcess } from '../support/service-process';
import { seedConsentState } from '../support/state-fixture';
import { percentile } from '../support/stats';
import { waitFor } from '../support/wait-for';

const RELAY_SOURCE = join(process.cwd(), 'apps', 'consent-ledger', 'src', 'relay');
const EVENTS_TOPIC = 'consent.events.v1';
const BASELINE_TOPIC = 'bench.propagation.baseline';
/** The first event also waits for the relay to start and the consumer to be assigned its partitions. */
const FIRST_EVENT_TIMEOUT_MS = 30_000;
const EVENT_TIMEOUT_MS = 5_000;

/** Arrival times by event id, as the consumer sees them. */
class Arrivals {
  private readonly seen = new Map<string, number>();

  record(eventId: string): void {
    this.seen.set(eventId, performance.now());
  }

  /** Milliseconds from `sentAt` to the event's arrival, once it has arrived; 0 when it beat the acknowledgement. */
  async latencyOf(eventId: string, sentAt: number, timeoutMs: number): Promise<number> {
    await waitFor(`event ${eventId} on Kafka`, timeoutMs, () => this.seen.has(eventId), 1);
    return Math.max(0, (this.seen.get(eventId) as number) - sentAt);
  }
}

/**
 * From a withdrawal's 201 to a kafkajs consumer holding the event, through the relay (outbox,
 * NOTIFY, idempotent producer). Baseline: from a kafkajs idempotent producer's send() to a
 * consumer of the same broker holding the message, the floor any relay sits on. Samples
 * alternate one by one.
 */
export const propagation: Figure = {
  id: 'propagation',
  title: 'Propagation',
  async run(context) {
    if (!existsSync(RELAY_SOURCE)) {
      return { measures: [], skipped: 'the relay (apps/consent-ledger/src/relay) does not exist yet; this figure runs once it does.' };
    }
    const { sizes } = context.options;
    const url = await context.postgres.createLedgerDatabase('bench_propagation');
    await seedConsentState(url, 1_000);
    const kafka = new Kafka({ clientId: 'consent-ledger-bench', brokers: [context.kafkaBrokers], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: EVENTS_TOPIC }, { topic: BASELINE_TOPIC }] }).catch(() => false);
    await admin.disconnect();

    const arrivals = new Arrivals();
    const consumer = kafka.consumer({ groupId: `bench-propagation-${Date.now()}` });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    let service: ServiceProcess | undefined;
    try {
      await Promise.all([startConsumer(consumer, arrivals), producer.connect()]);
      service = await context.startService({ databaseUrl: url, relay: true, name: 'propagation' });
      const withdraw = withdrawal(service, await service.createApiKey('bench propagation', ['events:write']));
      const produce = baselineSend(producer);

      await arrivals.latencyOf(await produce(-1).then((sent) => sent.eventId), 0, FIRST_EVENT_TIMEOUT_MS);
      const first = await withdraw(-1);
      await arrivals.latencyOf(first.eventId, first.sentAt, FIRST_EVENT_TIMEOUT_MS).catch((error: Error) => {
        throw new Error(`${error.message}: the relay did not publish a withdrawal. Service output:\n${service?.recentOutput()}`);
      });

      const relayed: number[] = [];
      const direct: number[] = [];
      for (let i = 0; i < sizes.propagationSamples; i++) {
        const sent = await withdraw(i);
        relayed.push(await arrivals.latencyOf(sent.eventId, sent.sentAt, EVENT_TIMEOUT_MS));
        const produced = await produce(i);
        direct.push(await arrivals.latencyOf(produced.eventId, produced.sentAt, EVENT_TIMEOUT_MS));
      }
      const p99 = percentile(relayed, 0.99);
      const baselineP99 = percentile(direct, 0.99);
      return {
        measures: [
          measure('p50, 201 → consumer', percentile(relayed, 0.5), 'ms', {
            baseline: { label: 'raw kafkajs produce → consume', value: percentile(direct, 0.5) },
          }),
          measure('p99, 201 → consumer', p99, 'ms', {
            baseline: { label: 'raw kafkajs produce → consume', value: baselineP99 },
            target: '≤ 50 ms and ≤ 2 × baseline',
            holds: p99 <= 50 && p99 <= 2 * baselineP99,
          }),
        ],
        rounds: { relayedMs: relayed, directMs: direct },
        note: `${sizes.propagationSamples} withdrawals, one at a time, alternating with as many raw sends; in-repo Kafka broker in its own process.`,
      };
    } finally {
      await service?.stop();
      await Promise.allSettled([consumer.disconnect(), producer.disconnect()]);
    }
  },
};

async function startConsumer(consumer: Consumer, arrivals: Arrivals): Promise<void> {
  await consumer.connect();
  await consumer.subscribe({ topics: [EVENTS_TOPIC, BASELINE_TOPIC], fromBeginning: false });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    eachMessage: async ({ message }) => {
      const header = message.headers?.['event-id'];
      const eventId = header ? header.toString() : (JSON.parse(message.value?.toString() ?? '{}') as { eventId?: string }).eventId;
      if (eventId) arrivals.record(eventId);
    },
  });
  await joined;
}

/** Posts a withdrawal for a fresh subject; sentAt is when its 201 has been read. */
export function withdrawal(service: ServiceProcess, apiKey: string) {
  return async (i: number): Promise<{ eventId: string; sentAt: number }> => {
    const response = await fetch(`${service.baseUrl}/v1/subjects/propagation-${i + 1}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: [{ type: 'ConsentWithdrawn', purpose: 'newsletter' }], source: { channel: 'web' } }),
    });
    const body = (await response.json()) as { events: { eventId: string }[] };
    const sentAt = performance.now();
    if (response.status !== 201) throw new Error(`the withdrawal answered ${response.status}: ${JSON.stringify(body)}`);
    return { eventId: body.events[0].eventId, sentAt };
  };
}

/**
 * A message shaped like a ledger event; sentAt is when send() was called, so the baseline is the
 * whole produce-to-consume path: what a service publishing straight to Kafka would see.
 */
function baselineSend(producer: Producer) {
  return async (i: number): Promise<{ eventId: string; sentAt: number }> => {
    const eventId = `baseline-${i}-${Date.now()}`;
    const sentAt = performance.now();
    const value = JSON.stringify({
      eventId, type: 'ConsentWithdrawn', subjectId: `baseline-${i}`, purpose: 'newsletter', purposeVersion: 1,
      occurredAt: new Date().toISOString(), recordedAt: new Date().toISOString(), position: i, streamVersion: 1,
      source: { channel: 'web' }, hash: '0'.repeat(64),
    });
    await producer.send({
      topic: BASELINE_TOPIC,
      acks: -1,
      messages: [{ key: `baseline-${i}`, value, headers: { 'event-type': 'ConsentWithdrawn', 'event-id': eventId, 'schema-version': '1' } }],
    });
    return { eventId, sentAt };
  };
}
