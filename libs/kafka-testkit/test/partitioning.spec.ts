import { useTestCluster, waitFor } from './test-cluster';

const TOPIC = 'keyed';
const KEYS = Array.from({ length: 12 }, (_, i) => `subject-${i}`);
const ROUNDS = 5;

describe('KafkaBroker key partitioning (kafkajs default partitioner)', () => {
  const cluster = useTestCluster();

  it('keeps every key on one partition, in the order produced', async () => {
    await cluster().createTopic(TOPIC, 3);
    const producer = await cluster().producer();
    for (let round = 0; round < ROUNDS; round++) {
      await producer.send({ topic: TOPIC, messages: KEYS.map((key) => ({ key, value: String(round) })) });
    }

    const seen: { key: string; partition: number; round: number }[] = [];
    const consumer = await cluster().consumer('partitioning');
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => void seen.push({ key: String(message.key), partition, round: Number(message.value) }),
    });
    await waitFor(() => seen.length >= KEYS.length * ROUNDS, 'every message');

    expect(seen).toHaveLength(KEYS.length * ROUNDS);
    const partitionsUsed = new Set(seen.map(({ partition }) => partition));
    expect(partitionsUsed.size).toBeGreaterThan(1);
    for (const key of KEYS) {
      const ofKey = seen.filter((message) => message.key === key);
      expect(new Set(ofKey.map(({ partition }) => partition)).size).toBe(1);
      expect(ofKey.map(({ round }) => round)).toEqual([0, 1, 2, 3, 4]);
    }
  });
});
