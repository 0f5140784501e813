import { ConsentClient } from '@consent-ledger/consent-client';
import { Kafka, logLevel } from 'kafkajs';
import { measure } from '../support/figure-result';
import { Figure } from '../support/figure';
import { elapsedNs, elapsedMs, median } from '../support/stats';

const STATE_TOPIC = 'bench.sdk.state';
const EVENTS_TOPIC = 'bench.sdk.events';
const PURPOSES = ['newsletter', 'analytics', 'ads', 'offers'] as const;
/** Messages per produce request while filling the state topic. */
const PRODUCE_BATCH = 5_000;
/** Distinct (subject, purpose) pairs the timed loops cycle through, drawn beforehand so that no string is built while timing. */
const PROBES = 1 << 20;

/**
 * ConsentClient.isAllowed on a cache warmed the way production warms it: `sdkEntries` state records
 * on a consent.state.v1-shaped topic, read from the beginning by a started client. Baseline: the
 * same questions asked of a plain Map per purpose holding the same decisions, the floor of any
 * in-memory lookup of a million string keys.
 */
export const sdk: Figure = {
  id: 'sdk',
  title: 'SDK isAllowed',
  async run(context) {
    const { sizes } = context.options;
    const subjects = Math.ceil(sizes.sdkEntries / PURPOSES.length);
    const kafka = new Kafka({ clientId: 'consent-ledger-bench-sdk', brokers: [context.kafkaBrokers], logLevel: logLevel.NOTHING });
    const fillStart = process.hrtime.bigint();
    const plain = await fillStateTopic(kafka, subjects);
    context.log(`  produced ${(subjects * PURPOSES.length).toLocaleString('en-US')} state records in ${(elapsedMs(fillStart) / 1000).toFixed(1)} s`);

    const client = new ConsentClient({
      brokers: [context.kafkaBrokers],
      httpBaseUrl: 'http://127.0.0.1:9',
      apiKey: 'unused: every answer comes from the cache',
      topics: { state: STATE_TOPIC, events: EVENTS_TOPIC },
      kafka: { logLevel: logLevel.NOTHING },
    });
    try {
      const warmStart = process.hrtime.bigint();
      await client.start();
      const warmSeconds = elapsedMs(warmStart) / 1000;
      if (client.size !== subjects * PURPOSES.length) throw new Error(`the client holds ${client.size} decisions, not ${subjects * PURPOSES.length}`);

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
      const viaClient = (s: string, p: string) => client.isAllowed(s, p);
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
          measure('cache warm-up from the state topic', warmSeconds, 's'),
        ],
        rounds: { clientNs, mapNs },
        note: `${(subjects * PURPOSES.length).toLocaleString('en-US')} decisions (${subjects.toLocaleString('en-US')} subjects × ` +
          `${PURPOSES.length} purposes) read from a state topic on the in-repo broker; ${sizes.sdkCalls.toLocaleString('en-US')} ` +
          `calls per round on random pairs, in the bench process.`,
      };
    } finally {
      await client.stop();
    }
  },
};

/**
 * Writes one state record per (subject, purpose), as the relay would, and returns the same
 * decisions in plain Maps for the baseline. Six in ten are grants with an expiry a year ahead,
 * so isAllowed takes its clock-reading path on most yeses.
 */
async function fillStateTopic(kafka: Kafka, subjects: number): Promise<Map<string, Map<string, boolean>>> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: STATE_TOPIC }, { topic: EVENTS_TOPIC }] });
  await admin.disconnect();
  const plain = new Map<string, Map<string, boolean>>(PURPOSES.map((p) => [p, new Map()]));
  const producer = kafka.producer();
  await producer.connect();
  const expiresAt = new Date(Date.now() + 365 * 86_400_000).toISOString();
  let messages: { key: string; value: string }[] = [];
  let position = 0;
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
  if (messages.length > 0) await producer.send({ topic: STATE_TOPIC, messages });
  await producer.disconnect();
  return plain;
}
