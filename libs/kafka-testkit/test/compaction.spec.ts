import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Admin, CompressionTypes, Consumer, KafkaMessage, Producer } from 'kafkajs';
import { CompactionOptions } from '../src';
import { decodeHeaders, TestCluster, waitFor } from './test-cluster';

const STATE = 'state';
const PLAIN = 'plain';
const KEYS = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9'];
const ROUNDS = 20;
const COMPACT = [{ name: 'cleanup.policy', value: 'compact' }];
const KCAT = '/usr/bin/kcat';

interface Delivered {
  offset: string;
  key: string;
  value: string | null;
}

/** Every key updated ROUNDS times, one batch per round (offset = round * 10 + key index), then `tail` alone in the newest batch. */
async function writeRounds(producer: Producer, topic: string, tail: string): Promise<void> {
  for (let round = 0; round < ROUNDS; round++) {
    await producer.send({ topic, messages: KEYS.map((key) => ({ key, value: `${key}@${round}` })) });
  }
  await producer.send({ topic, messages: [{ key: tail, value: tail }] });
}

/** What a compacted read of writeRounds must give: the last round at its original offsets, then the tail. */
function latestRoundThen(tail: string): Delivered[] {
  const last = ROUNDS - 1;
  return [
    ...KEYS.map((key, index) => ({ offset: String(last * KEYS.length + index), key, value: `${key}@${last}` })),
    { offset: String(ROUNDS * KEYS.length), key: tail, value: tail },
  ];
}

/** Reads the whole partition 0 of topic from the beginning with a fresh group, up to its high watermark. */
async function readAll(cluster: TestCluster, topic: string, groupId: string): Promise<Delivered[]> {
  return (await readMessages(cluster, topic, groupId)).map(delivery);
}

async function readMessages(cluster: TestCluster, topic: string, groupId: string): Promise<KafkaMessage[]> {
  const admin = await cluster.admin();
  const [{ high }] = await admin.fetchTopicOffsets(topic);
  const messages: KafkaMessage[] = [];
  const consumer = await cluster.consumer(groupId);
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void messages.push(message) });
  await waitFor(() => messages.at(-1)?.offset === String(BigInt(high) - 1n), `${groupId} to read ${topic} up to ${high}`);
  await consumer.disconnect();
  return messages;
}

function delivery(message: { offset: string; key: Buffer | null; value: Buffer | null }): Delivered {
  return { offset: message.offset, key: String(message.key), value: message.value === null ? null : String(message.value) };
}

async function createTopics(admin: Admin, topics: { topic: string; configEntries?: { name: string; value: string }[] }[]): Promise<void> {
  expect(await admin.createTopics({ topics: topics.map((topic) => ({ numPartitions: 1, ...topic })) })).toBe(true);
}

describe('KafkaBroker log compaction (cleanup.policy=compact)', () => {
  const clusters: TestCluster[] = [];
  let now: number;
  /** Background passes off unless a test turns them on: passes run when the test says, on its clock. */
  const manual: CompactionOptions = { intervalMs: 0, deleteRetentionMs: 60_000, clock: () => now };

  beforeEach(() => {
    now = Date.UTC(2026, 0, 1);
  });

  afterEach(async () => {
    await Promise.all(clusters.splice(0).map((cluster) => cluster.stop()));
  });

  async function startCluster(compaction: CompactionOptions = manual, dataDir?: string): Promise<TestCluster> {
    const cluster = await TestCluster.start({ compaction, dataDir });
    clusters.push(cluster);
    return cluster;
  }

  it('keeps the latest record of each key at its original offset, and leaves other topics alone', async () => {
    const cluster = await startCluster();
    const admin = await cluster.admin();
    await createTopics(admin, [{ topic: STATE, configEntries: COMPACT }, { topic: PLAIN }]);
    // Idempotent, so the emptied batches include some that carry the producer's sequence number.
    const producer = await cluster.producer({ idempotent: true, maxInFlightRequests: 1 });
    await writeRounds(producer, STATE, 'tail');
    await writeRounds(producer, PLAIN, 'tail');
    const plainBefore = await readAll(cluster, PLAIN, 'plain-before');

    expect(await cluster.broker.compact()).toEqual([{ topic: STATE, partition: 0, recordsBefore: ROUNDS * KEYS.length, recordsAfter: KEYS.length }]);

    expect(await readAll(cluster, STATE, 'state-reader')).toEqual(latestRoundThen('tail'));
    const plainAfter = await readAll(cluster, PLAIN, 'plain-after');
    expect(plainAfter).toHaveLength(ROUNDS * KEYS.length + 1);
    expect(plainAfter).toEqual(plainBefore);
    // Compaction never renumbers: the offsets a producer continues from are unchanged.
    expect(await admin.fetchTopicOffsets(STATE)).toEqual([{ partition: 0, offset: '201', high: '201', low: '0' }]);
    await producer.send({ topic: STATE, messages: [{ key: 'k0', value: 'k0@next' }] });
    expect((await readAll(cluster, STATE, 'state-after-append')).slice(-2)).toEqual([
      { offset: '200', key: 'tail', value: 'tail' },
      { offset: '201', key: 'k0', value: 'k0@next' },
    ]);
  });

  it('never touches the newest batch: a key updated only there keeps its older record until a later batch follows', async () => {
    const cluster = await startCluster();
    await createTopics(await cluster.admin(), [{ topic: STATE, configEntries: COMPACT }]);
    const producer = await cluster.producer();
    await producer.send({ topic: STATE, messages: [{ key: 'a', value: 'a1', timestamp: '1000' }, { key: 'b', value: 'b1', timestamp: '2000', headers: { h: ['x', 'y'] } }] });
    await producer.send({ topic: STATE, messages: [{ key: 'a', value: 'a2' }, { key: 'a', value: 'a3' }] });

    expect(await cluster.broker.compact()).toEqual([{ topic: STATE, partition: 0, recordsBefore: 2, recordsAfter: 2 }]);
    expect((await readAll(cluster, STATE, 'first')).map(({ value }) => value)).toEqual(['a1', 'b1', 'a2', 'a3']);

    await producer.send({ topic: STATE, messages: [{ key: 'c', value: 'c1' }] });
    await cluster.broker.compact();
    const messages = await readMessages(cluster, STATE, 'second');
    expect(messages.map(delivery)).toEqual([
      { offset: '1', key: 'b', value: 'b1' },
      { offset: '3', key: 'a', value: 'a3' },
      { offset: '4', key: 'c', value: 'c1' },
    ]);
    // The rewritten batch keeps the kept record's timestamp (relative to the batch's first) and its headers.
    expect(messages[0].timestamp).toBe('2000');
    expect(decodeHeaders(messages[0].headers)).toEqual({ h: ['x', 'y'] });
  });

  it('keeps a tombstone until deleteRetentionMs after the first pass that saw it, then removes it', async () => {
    const cluster = await startCluster();
    await createTopics(await cluster.admin(), [{ topic: STATE, configEntries: COMPACT }]);
    const producer = await cluster.producer();
    await producer.send({ topic: STATE, messages: [{ key: 'gone', value: 'v1' }, { key: 'kept', value: 'v1' }] });
    await producer.send({ topic: STATE, messages: [{ key: 'gone', value: null }] });
    await producer.send({ topic: STATE, messages: [{ key: 'tail', value: 'tail' }] });
    const withTombstone = [
      { offset: '1', key: 'kept', value: 'v1' },
      { offset: '2', key: 'gone', value: null },
      { offset: '3', key: 'tail', value: 'tail' },
    ];

    await cluster.broker.compact();
    expect(await readAll(cluster, STATE, 'first-pass')).toEqual(withTombstone);
    now += 59_999;
    await cluster.broker.compact();
    expect(await readAll(cluster, STATE, 'before-horizon')).toEqual(withTombstone);
    now += 1;
    expect(await cluster.broker.compact()).toEqual([{ topic: STATE, partition: 0, recordsBefore: 2, recordsAfter: 1 }]);
    expect(await readAll(cluster, STATE, 'after-horizon')).toEqual([withTombstone[0], withTombstone[2]]);
  });

  it('serves a consumer positioned on removed offsets from the next record kept, also while it is reading', async () => {
    const cluster = await startCluster();
    await createTopics(await cluster.admin(), [{ topic: STATE, configEntries: COMPACT }]);
    const producer = await cluster.producer();
    await writeRounds(producer, STATE, 'tail');

    // One batch per fetch, so that most of the log is still to fetch when the pass runs.
    const reading = await cluster.consumer('reading', { maxBytesPerPartition: 64 });
    const delivered: Delivered[] = [];
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await reading.subscribe({ topic: STATE, fromBeginning: true });
    await reading.run({
      eachMessage: async ({ message }) => {
        delivered.push(delivery(message));
        if (message.offset === '55') await held;
      },
    });
    await waitFor(() => delivered.length === 56, 'the reader to reach offset 55');
    await cluster.broker.compact();
    release();
    await waitFor(() => delivered.at(-1)?.offset === '200', 'the reader to reach the end');

    const offsets = delivered.map(({ offset }) => Number(offset));
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(new Set(offsets).size).toBe(offsets.length);
    expect(delivered.slice(-11)).toEqual(latestRoundThen('tail'));
    const finalValues = new Map(delivered.map(({ key, value }) => [key, value]));
    expect(Object.fromEntries(finalValues)).toEqual(Object.fromEntries(latestRoundThen('tail').map(({ key, value }) => [key, value])));

    // Positioned at the end first, so that only the seek can bring it the records it then reads.
    const seeking = await seekingConsumer(cluster, 'seeking', '55');
    await waitFor(() => seeking.delivered.at(-1)?.offset === '200', 'the seeking reader to reach the end');
    expect(seeking.delivered).toEqual(latestRoundThen('tail'));
  });

  it('compacts in the background once enough of a partition is dirty', async () => {
    // The threshold is reached only once the tail batch makes every round cleanable: one pass, known in advance.
    const logs: string[] = [];
    const cluster = await TestCluster.start({ compaction: { intervalMs: 10, minDirtyRecords: ROUNDS * KEYS.length }, logger: (line) => logs.push(line) });
    clusters.push(cluster);
    await createTopics(await cluster.admin(), [{ topic: STATE, configEntries: COMPACT }]);
    await writeRounds(await cluster.producer(), STATE, 'tail');

    await waitFor(() => logs.some((line) => line.startsWith(`kafka-testkit: compacted ${STATE}-0: 200 → 10 records`)), 'a background pass');
    expect(await readAll(cluster, STATE, 'reader')).toEqual(latestRoundThen('tail'));
  });

  it('rewrites the log file and reloads the compacted log, with its tombstone horizons, from dataDir', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'kafka-testkit-compaction-'));
    try {
      const first = await startCluster(manual, dataDir);
      await createTopics(await first.admin(), [{ topic: STATE, configEntries: [...COMPACT, { name: 'delete.retention.ms', value: '1000' }] }]);
      const producer = await first.producer();
      await writeRounds(producer, STATE, 'tail');
      await producer.send({ topic: STATE, messages: [{ key: 'k9', value: null }] });
      await producer.send({ topic: STATE, messages: [{ key: 'after', value: 'after' }] });
      const logFile = path.join(dataDir, 'topics', STATE, '0.log');
      const sizeBefore = (await stat(logFile)).size;
      await first.broker.compact();
      expect((await stat(logFile)).size).toBeLessThan(sizeBefore / 5);
      expect(existsSync(`${logFile}.compacted`)).toBe(false);
      await first.stop();

      now += 999;
      const second = await startCluster(manual, dataDir);
      const expected = [
        ...latestRoundThen('tail').slice(0, 9),
        { offset: '200', key: 'tail', value: 'tail' },
        { offset: '201', key: 'k9', value: null },
        { offset: '202', key: 'after', value: 'after' },
      ];
      expect(await readAll(second, STATE, 'reloaded')).toEqual(expected);
      await second.broker.compact();
      expect(await readAll(second, STATE, 'before-horizon')).toEqual(expected);
      now += 1;
      await second.broker.compact();
      expect(await readAll(second, STATE, 'after-horizon')).toEqual(expected.filter(({ key }) => key !== 'k9'));
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('keeps compressed batches whole: the broker has no codecs to read their records', async () => {
    const cluster = await startCluster();
    await createTopics(await cluster.admin(), [{ topic: STATE, configEntries: COMPACT }]);
    const producer = await cluster.producer();
    await producer.send({ topic: STATE, compression: CompressionTypes.GZIP, messages: [{ key: 'a', value: 'a1' }, { key: 'a', value: 'a2' }] });
    await producer.send({ topic: STATE, messages: [{ key: 'a', value: 'a3' }] });
    await producer.send({ topic: STATE, messages: [{ key: 'tail', value: 'tail' }] });

    expect(await cluster.broker.compact()).toEqual([{ topic: STATE, partition: 0, recordsBefore: 3, recordsAfter: 3 }]);
    expect((await readAll(cluster, STATE, 'reader')).map(({ value }) => value)).toEqual(['a1', 'a2', 'a3', 'tail']);
  });

  it('refuses records without key and invalid configs, as Kafka does', async () => {
    const cluster = await startCluster();
    const admin = await cluster.admin();
    await createTopics(admin, [{ topic: STATE, configEntries: COMPACT }]);
    const producer = await cluster.producer({ retry: { retries: 0 } });
    await expect(producer.send({ topic: STATE, messages: [{ value: 'no key' }] })).rejects.toThrow(/corrupt/);
    expect(await admin.fetchTopicOffsets(STATE)).toEqual([{ partition: 0, offset: '0', high: '0', low: '0' }]);
    await expect(admin.createTopics({ topics: [{ topic: 'bad', configEntries: [{ name: 'cleanup.policy', value: 'shred' }] }] })).rejects.toThrow();
    await expect(admin.createTopics({ topics: [{ topic: 'bad', configEntries: [...COMPACT, { name: 'delete.retention.ms', value: '-1' }] }] })).rejects.toThrow();
    expect(await admin.listTopics()).toEqual([STATE]);
  });

  // kcat (librdkafka) checks record batch CRCs with check.crcs=true, which kafkajs never does. Runs only where kcat is installed.
  (existsSync(KCAT) ? it : it.skip)('serves rewritten batches that kcat reads, CRCs checked', async () => {
    const cluster = await startCluster();
    await createTopics(await cluster.admin(), [{ topic: STATE, configEntries: COMPACT }]);
    const producer = await cluster.producer();
    await writeRounds(producer, STATE, 'tail');
    // Half the keys once more, so that the last round's batch keeps only its other half and is rewritten.
    const half = KEYS.slice(0, 5);
    await producer.send({ topic: STATE, messages: half.map((key) => ({ key, value: `${key}@final` })) });
    await producer.send({ topic: STATE, messages: [{ key: 'end', value: 'end' }] });
    await cluster.broker.compact();

    const { stdout } = await promisify(execFile)(
      KCAT,
      ['-C', '-b', cluster.broker.address, '-t', STATE, '-p', '0', '-o', 'beginning', '-e', '-q', '-X', 'check.crcs=true', '-f', '%o %k %s\n'],
      { timeout: 20_000 },
    );
    expect(stdout.trim().split('\n')).toEqual([
      ...KEYS.slice(5).map((key, index) => `${195 + index} ${key} ${key}@19`),
      '200 tail tail',
      ...half.map((key, index) => `${201 + index} ${key} ${key}@final`),
      '206 end end',
    ]);
  });
});

/** A consumer that seeks to offset as soon as it runs, collecting what it is then given. */
async function seekingConsumer(cluster: TestCluster, groupId: string, offset: string): Promise<{ consumer: Consumer; delivered: Delivered[] }> {
  const consumer = await cluster.consumer(groupId);
  const delivered: Delivered[] = [];
  await consumer.subscribe({ topic: STATE, fromBeginning: false });
  await consumer.run({ eachMessage: async ({ message }) => void delivered.push(delivery(message)) });
  consumer.seek({ topic: STATE, partition: 0, offset });
  return { consumer, delivered };
}
