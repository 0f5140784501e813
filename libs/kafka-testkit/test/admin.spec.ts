import { useTestCluster, waitFor } from './test-cluster';

describe('KafkaBroker admin lifecycle (kafkajs admin)', () => {
  const cluster = useTestCluster({ defaultPartitions: 2 });

  it('creates, lists, describes, reports offsets of and deletes topics', async () => {
    const admin = await cluster().admin();
    expect(await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3 }, { topic: 'defaults' }] })).toBe(true);
    expect(await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3 }] })).toBe(false);
    expect(
      await admin.createTopics({
        topics: [{ topic: 'compacted', numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
      }),
    ).toBe(true);

    expect((await admin.listTopics()).sort()).toEqual(['compacted', 'defaults', 'orders']);
    const metadata = await admin.fetchTopicMetadata({ topics: ['orders', 'defaults'] });
    const partitionIds = metadata.topics.map(({ name, partitions }) => [name, partitions.map((p) => p.partitionId).sort()]);
    expect(partitionIds.sort()).toEqual([
      ['defaults', [0, 1]],
      ['orders', [0, 1, 2]],
    ]);

    const producer = await cluster().producer();
    await producer.send({ topic: 'orders', messages: [0, 1, 2, 3, 4].map((i) => ({ value: `order-${i}`, partition: 1 })) });
    const offsets = (await admin.fetchTopicOffsets('orders')).sort((a, b) => a.partition - b.partition);
    expect(offsets).toEqual([
      { partition: 0, offset: '0', high: '0', low: '0' },
      { partition: 1, offset: '5', high: '5', low: '0' },
      { partition: 2, offset: '0', high: '0', low: '0' },
    ]);

    const { consumer, values } = await cluster().consumeValues('billing', 'orders');
    await waitFor(() => values.length >= 5, 'five orders consumed');
    await consumer.disconnect();
    const committed = await admin.fetchOffsets({ groupId: 'billing', topics: ['orders'] });
    expect(committed).toEqual([
      {
        topic: 'orders',
        partitions: [
          { partition: 0, offset: '-1', metadata: null },
          { partition: 1, offset: '5', metadata: null },
          { partition: 2, offset: '-1', metadata: null },
        ],
      },
    ]);

    expect(await admin.deleteTopics({ topics: ['orders'] })).toBeUndefined();
    expect((await admin.listTopics()).sort()).toEqual(['compacted', 'defaults']);
    expect(await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 1 }] })).toBe(true);
    expect(await admin.fetchTopicOffsets('orders')).toEqual([{ partition: 0, offset: '0', high: '0', low: '0' }]);
  });
});
