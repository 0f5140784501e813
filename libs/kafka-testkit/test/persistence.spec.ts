import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Admin } from 'kafkajs';
import { TestCluster, waitFor } from './test-cluster';

const TOPIC = 'durable';

async function committedOffsets(admin: Admin, groupId: string): Promise<string[]> {
  const [topic] = await admin.fetchOffsets({ groupId, topics: [TOPIC] });
  return topic.partitions.sort((a, b) => a.partition - b.partition).map(({ offset }) => offset);
}

describe('KafkaBroker persistence', () => {
  const clusters: TestCluster[] = [];
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'kafka-testkit-'));
  });

  afterEach(async () => {
    await Promise.all(clusters.splice(0).map((cluster) => cluster.stop()));
    await rm(dataDir, { recursive: true, force: true });
  });

  async function startCluster(options: { dataDir?: string } = {}): Promise<TestCluster> {
    const cluster = await TestCluster.start(options);
    clusters.push(cluster);
    return cluster;
  }

  it('reloads topics, records and committed offsets from dataDir in a new broker, dropping a torn tail', async () => {
    const first = await startCluster({ dataDir });
    const firstAdmin = await first.admin();
    await firstAdmin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] });
    const producer = await first.producer({ idempotent: true, maxInFlightRequests: 1 });
    for (const round of [0, 1]) {
      await producer.send({ topic: TOPIC, messages: [0, 1, 2, 3, 4].map((i) => ({ key: `${round}-${i}`, value: `${round}-${i}`, partition: i % 2 })) });
    }
    const { consumer: reader, values: consumed } = await first.consumeValues('reader', TOPIC);
    await waitFor(() => consumed.length >= 10, 'the first broker to deliver everything');
    await reader.disconnect();
    expect(await committedOffsets(firstAdmin, 'reader')).toEqual(['6', '4']);
    await first.stop();
    // As if the process had died in the middle of appending a batch.
    await appendFile(path.join(dataDir, 'topics', TOPIC, '0.log'), Buffer.from([0, 0, 0, 0, 0, 0, 0, 9, 0, 0]));

    const second = await startCluster({ dataDir });
    const admin = await second.admin();
    const metadata = await admin.fetchTopicMetadata({ topics: [TOPIC] });
    expect(metadata.topics[0].partitions).toHaveLength(2);
    expect(await committedOffsets(admin, 'reader')).toEqual(['6', '4']);

    const replayed: { partition: number; value: string }[] = [];
    const replay = await second.consumer('replay');
    await replay.subscribe({ topic: TOPIC, fromBeginning: true });
    await replay.run({ eachMessage: async ({ partition, message }) => void replayed.push({ partition, value: String(message.value) }) });
    await waitFor(() => replayed.length >= 10, 'the second broker to replay everything');
    const valuesOf = (partition: number): string[] => replayed.filter((m) => m.partition === partition).map(({ value }) => value);
    expect(valuesOf(0)).toEqual(['0-0', '0-2', '0-4', '1-0', '1-2', '1-4']);
    expect(valuesOf(1)).toEqual(['0-1', '0-3', '1-1', '1-3']);

    const { values: resumed } = await second.consumeValues('reader', TOPIC);
    const newProducer = await second.producer();
    await newProducer.send({ topic: TOPIC, messages: [{ key: 'new-0', value: 'new-0', partition: 0 }, { key: 'new-1', value: 'new-1', partition: 1 }] });
    await waitFor(() => resumed.length >= 2, 'the resumed group to get the new messages');
    expect(resumed.sort()).toEqual(['new-0', 'new-1']);
    expect((await admin.fetchTopicOffsets(TOPIC)).sort((a, b) => a.partition - b.partition).map(({ high }) => high)).toEqual(['7', '5']);
  });

  it('keeps connected producers and consumers working across restart() on the same port', async () => {
    const cluster = await startCluster();
    const admin = await cluster.createTopic(TOPIC, 1);
    const producer = await cluster.producer({ idempotent: true, maxInFlightRequests: 1 });
    const { values } = await cluster.consumeValues('live', TOPIC);

    await producer.send({ topic: TOPIC, messages: ['0', '1', '2', '3', '4'].map((value) => ({ value })) });
    await waitFor(async () => values.length >= 5 && (await committedOffsets(admin, 'live'))[0] === '5', 'the first five to be consumed and committed');
    const port = cluster.broker.port;
    await cluster.broker.restart();
    expect(cluster.broker.port).toBe(port);

    await producer.send({ topic: TOPIC, messages: ['5', '6', '7', '8', '9'].map((value) => ({ value })) });
    await waitFor(() => values.includes('9'), 'the messages produced after the restart');
    expect(values).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(await admin.fetchTopicOffsets(TOPIC)).toEqual([{ partition: 0, offset: '10', high: '10', low: '0' }]);
  });
});
