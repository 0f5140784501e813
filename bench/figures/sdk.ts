import { ConsentClient } from '@consent-ledger/consent-client';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { CompactReply, CompactRequest, KafkaBrokerReady, MANUAL_COMPACTION } from '../roles/kafka-broker';
import { RoleProcess } from '../support/child-role';
import { measure } from '../support/figure-result';
import { Figure } from '../support/figure';
import { elapsedNs, elapsedMs, median, percentile } from '../support/stats';

const STATE_TOPIC = 'bench.sdk.state';
const EVENTS_TOPIC = 'bench.sdk.events';
/** A plain topic on the same broker, written one message at a time while the broker compacts. */
const PROBE_TOPIC = 'bench.sdk.probe';
/** Produce round trips timed on the idle broker, the baseline of those timed during the compaction pass. */
const IDLE_PROBES = 200;
const PURPOSES = ['newsletter', 'analytics', 'ads', 'offers'] as const;
/** Each decision is written this many times, the last one final: a state topic that has lived a while. */
const WRITES_PER_ENTRY = 3;
/** Messages per produce request while filling the state topic. */
const PRODUCE_BATCH = 5_000;
/** Distinct (subject, purpose) pairs the timed loops cycle through, drawn beforehand so that no string is built while timing. */
const PROBES = 1 << 20;

/**
 * The SDK's cache warm-up in local mode and ConsentClient.isAllowed on the warm cache. `sdkEntries`
 * decisions, each written WRITES_PER_ENTRY times, on a compacted consent.state.v1-shaped topic of a
 * broker of the figure's own (compaction on request only): a started client reads it up to `ready`
 * first as written (every update: what local mode read before the broker compacted), then after a
 * compaction pass (one record per decision, as Kafka keeps it); a plain kafkajs consumer reading the
 * compacted topic is the floor. Produce round trips to another topic while the pass runs show what it
 * costs the broker's clients, beside the same sends to the idle broker. isAllowed is timed on the second client, against a plain Map per
 * purpose holding the same decisions, the floor of any in-memory lookup of a million string keys.
 */
export const sdk: Figure = {
  id: 'sdk',
  title: 'SDK isAllowed',
  async run(context) {
    const { sizes } = context.options;
    const subjects = Math.ceil(sizes.sdkEntries / PURPOSES.length);
    const entries = subjects * PURPOSES.length;
    const broker = await RoleProcess.fork<KafkaBrokerReady>('kafka-broker', [MANUAL_COMPACTION]);
    const brokers = broker.ready.address;
    let client: ConsentClient | undefined;
    try {
      const kafka = new Kafka({ clientId: 'consent-ledger-bench-sdk', brokers: [brokers], logLevel: logLevel.NOTHING });
      const fillStart = process.hrtime.bigint();
      const plain = await fillStateTopic(kafka, subjects);
      context.log(`  produced ${(entries * WRITES_PER_ENTRY).toLocaleString('en-US')} state records in ${(elapsedMs(fillStart) / 1000).toFixed(1)} s`);

      const uncompacted = await startClient(brokers, entries);
      await uncompacted.client.stop();
      context.log(`  warm-up on the uncompacted topic: ${uncompacted.seconds.toFixed(2)} s`);
      const sender = kafka.producer();
      await sender.connect();
      // The first send also fetches the topic's metadata.
      await produceRoundTrips(sender, () => true);
      const idleMs = await produceRoundTrips(sender, (samples) => samples.length >= IDLE_PROBES);
      const compaction = broker.request<CompactRequest, CompactReply>({ compact: true });
      let compactionDone = false;
      void compaction.finally(() => (compactionDone = true)).catch(() => undefined);
      const duringMs = await produceRoundTrips(sender, () => compactionDone);
      await sender.disconnect();
      const { compacted, ms: compactionMs } = await compaction;
      const recordsBefore = compacted.reduce((total, pass) => total + pass.recordsBefore, 0);
      const recordsAfter = compacted.reduce((total, pass) => total + pass.recordsAfter, 0);
      context.log(`  compaction pass: ${recordsBefore.toLocaleString('en-US')} → ${recordsAfter.toLocaleString('en-US')} records in ${(compactionMs / 1000).toFixed(2)} s`);
      const rawSeconds = await readToEnd(kafka, STATE_TOPIC);
      const warm = await startClient(brokers, entries);
      client = warm.client;
      context.log(`  warm-up on the compacted topic: ${warm.seconds.toFixed(2)} s (plain kafkajs read ${rawSeconds.toFixed(2)} s)`);

      const probeSubjects = Array.from({ length: PROBES }, () => `s${Math.floor(Math.random() * subjects)}`);
      const probePurposes = Array.from({ length: PROBES }, () => PURPOSES[Math.floor(Math.random() * PURPOSES.length)]);
      const time = (ask: (subjectId: string, purpose: string) => boolean) => {
        let allowed = 0;
        const start = process.hrtime.bigint();
        for (let i = 0; i < sizes.sdkCalls; i++) {
          const probe = i & (PROBES - 1);
          if (ask(probeSubjects[probe], probePurposes[probe])) allowed++;
        }
        const ns = elapsedNs(start) / sizes.sdkCalls;
        // The count is used, so the JIT cannot drop the calls.
        if (allowed < 0) throw new Error('unreachable');
        return ns;
      };
      const cache = warm.client;
      const viaClient = (s: string, p: string) => cache.isAllowed(s, p);
      const viaMap = (s: string, p: string) => plain.get(p)?.get(s) === true;
      time(viaClient);
      time(viaMap);
      const clientNs: number[] = [];
      const mapNs: number[] = [];
      for (let round = 0; round < sizes.rounds + 2; round++) {
        mapNs.push(time(viaMap));
        clientNs.push(time(viaClient));
      }
      const ns = median(clientNs);
      return {
        measures: [
          measure('isAllowed, warm cache', ns, 'ns/call', {
            baseline: { label: 'Map per purpose', value: median(mapNs) },
            target: '≤ 1,000 ns',
            holds: ns <= 1_000,
          }),
          measure('cache warm-up, compacted state topic', warm.seconds, 's', {
            baseline: { label: `same topic before compaction (${WRITES_PER_ENTRY}× the records)`, value: uncompacted.seconds },
          }),
          measure('cache warm-up, compacted state topic', warm.seconds, 's', {
            baseline: { label: 'plain kafkajs consumer reading it', value: rawSeconds },
          }),
          measure('compaction pass in the broker', compactionMs / 1000, 's'),
          measure('produce round trip during the pass, p99', percentile(duringMs, 0.99), 'ms', {
            baseline: { label: 'idle broker', value: percentile(idleMs, 0.99) },
          }),
          measure('produce round trip during the pass, max', Math.max(...duringMs), 'ms', {
            baseline: { label: 'idle broker', value: Math.max(...idleMs) },
          }),
        ],
        rounds: { clientNs, mapNs, idleProduceMs: idleMs, compactingProduceMs: duringMs },
        note:
          `${entries.toLocaleString('en-US')} decisions (${subjects.toLocaleString('en-US')} subjects × ${PURPOSES.length} purposes), ` +
          `each written ${WRITES_PER_ENTRY} times: ${recordsBefore.toLocaleString('en-US')} records compacted to ${recordsAfter.toLocaleString('en-US')} ` +
          `(the newest batch stays as written), on a broker process of the figure's own; warm-up = ConsentClient start() to ready, ` +
          `in the bench process; produce round trips = one-message sends to another topic, one at a time, while the pass runs ` +
          `(${duringMs.length} samples) and on the idle broker before it (${idleMs.length}); ` +
          `${sizes.sdkCalls.toLocaleString('en-US')} isAllowed calls per round on random pairs.`,
      };
    } finally {
      await client?.stop();
      await broker.stop();
    }
  },
};

/** Times one-message sends, one at a time, until done(samples) says enough; at least one. */
async function produceRoundTrips(producer: Producer, done: (samples: readonly number[]) => boolean): Promise<number[]> {
  const samples: number[] = [];
  do {
    const start = process.hrtime.bigint();
    await producer.send({ topic: PROBE_TOPIC, messages: [{ key: 'probe', value: String(samples.length) }] });
    samples.push(elapsedMs(start));
  } while (!done(samples));
  return samples;
}

/** A ConsentClient started on the bench topics, and the seconds from start() to ready; it must hold every decision. */
async function startClient(brokers: string, entries: number): Promise<{ client: ConsentClient; seconds: number }> {
  const client = new ConsentClient({
    brokers: [brokers],
    httpBaseUrl: 'http://127.0.0.1:9',
    apiKey: 'unused: every answer comes from the cache',
    topics: { state: STATE_TOPIC, events: EVENTS_TOPIC },
    kafka: { logLevel: logLevel.NOTHING },
  });
  const start = process.hrtime.bigint();
  await client.start();
  const seconds = elapsedMs(start) / 1000;
  if (client.size !== entries) {
    await client.stop();
    throw new Error(`the client holds ${client.size} decisions, not ${entries}`);
  }
  return { client, seconds };
}

/** Seconds a plain kafkajs consumer takes to read topic from its beginning to the high watermarks, doing nothing with the records. */
async function readToEnd(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const remaining = new Map(offsets.filter(({ low, high }) => BigInt(high) > BigInt(low)).map(({ partition, high }) => [partition, BigInt(high) - 1n]));
  const consumer = kafka.consumer({ groupId: `bench-sdk-raw-${Date.now()}` });
  const start = process.hrtime.bigint();
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      if (remaining.size === 0) resolve();
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            const last = remaining.get(batch.partition);
            if (last !== undefined && BigInt(batch.lastOffset()) >= last) remaining.delete(batch.partition);
            if (remaining.size === 0) resolve();
          },
        })
        .catch(reject);
    });
    return elapsedMs(start) / 1000;
  } finally {
    await consumer.disconnect();
  }
}

/**
 * Writes WRITES_PER_ENTRY rounds of one state record per (subject, purpose), as the relay would on
 * successive decisions, and returns the last round's decisions in plain Maps for the baseline. Six in
 * ten are grants with an expiry a year ahead, so isAllowed takes its clock-reading path on most yeses.
 */
async function fillStateTopic(kafka: Kafka, subjects: number): Promise<Map<string, Map<string, boolean>>> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: STATE_TOPIC, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }, { topic: EVENTS_TOPIC }, { topic: PROBE_TOPIC }] });
  await admin.disconnect();
  const plain = new Map<string, Map<string, boolean>>(PURPOSES.map((p) => [p, new Map()]));
  const producer = kafka.producer();
  await producer.connect();
  const expiresAt = new Date(Date.now() + 365 * 86_400_000).toISOString();
  let messages: { key: string; value: string }[] = [];
  let position = 0;
  for (let write = 0; write < WRITES_PER_ENTRY; write++) {
    for (let n = 0; n < subjects; n++) {
      for (const purpose of PURPOSES) {
        const allowed = (n + position) % 10 < 6;
        const consent = purpose !== 'offers';
        const status = consent ? (allowed ? 'granted' : 'withdrawn') : (allowed ? 'none' : 'objected');
        plain.get(purpose)?.set(`s${n}`, allowed);
        messages.push({
          key: `${purpose}:s${n}`,
          value: JSON.stringify({
            purpose, purposeVersion: 1, currentPurposeVersion: 1, legalBasis: consent ? 'consent' : 'legitimate_interest', status, allowed,
            since: new Date().toISOString(), expiresAt: consent && allowed ? expiresAt : null, reconsentRequired: false, position: ++position,
          }),
        });
        if (messages.length === PRODUCE_BATCH) {
          await producer.send({ topic: STATE_TOPIC, messages });
          messages = [];
        }
      }
    }
  }
  if (messages.length > 0) await producer.send({ topic: STATE_TOPIC, messages });
  await producer.disconnect();
  return plain;
}
