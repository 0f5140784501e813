import { useTestCluster, waitFor } from './test-cluster';

const TOPIC = 'idempotent';
const SENDS = 10;

describe('KafkaBroker idempotent producer (kafkajs idempotent: true)', () => {
  const cluster = useTestCluster();

  it('deduplicates a batch retried after its response was lost', async () => {
    const admin = await cluster().createTopic(TOPIC, 1);
    const producer = await cluster().producer({ idempotent: true, maxInFlightRequests: 1 });

    for (let i = 0; i < SENDS; i++) {
      // Every third send is appended, then its connection dropped before the response: kafkajs retries it.
      if (i % 3 === 1) cluster().broker.faults.dropNextResponse();
      const [result] = await producer.send({ topic: TOPIC, messages: [{ key: 'k', value: `message-${i}` }, { key: 'k', value: `message-${i}-bis` }] });
      expect(result.baseOffset).toBe(String(2 * i));
    }

    expect(await admin.fetchTopicOffsets(TOPIC)).toEqual([{ partition: 0, offset: String(2 * SENDS), high: String(2 * SENDS), low: '0' }]);
    const { values } = await cluster().consumeValues('idempotent-reader', TOPIC);
    await waitFor(() => values.length >= 2 * SENDS, 'every message');
    expect(values).toEqual(Array.from({ length: SENDS }, (_, i) => [`message-${i}`, `message-${i}-bis`]).flat());
  });
});
