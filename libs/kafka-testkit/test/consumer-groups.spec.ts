import { Consumer } from 'kafkajs';
import { sleep, trackAssignment, useTestCluster, waitFor } from './test-cluster';

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

describe('KafkaBroker consumer groups (kafkajs consumers)', () => {
  const cluster = useTestCluster();

  async function produce(topic: string, messages: { value: string; partition?: number }[]): Promise<void> {
    const producer = await cluster().producer();
    await producer.send({ topic, messages });
  }

  it('resumes a restarted consumer from its committed offset, and seeks while running', async () => {
    await cluster().createTopic('resume', 1);
    await produce('resume', range(0, 5).map((i) => ({ value: String(i) })));

    const { consumer: firstRun, values: first } = await cluster().consumeValues('resume-group', 'resume');
    await waitFor(() => first.length >= 5, 'the first five messages');
    await firstRun.disconnect();
    expect(first).toEqual(['0', '1', '2', '3', '4']);

    await produce('resume', range(5, 10).map((i) => ({ value: String(i) })));
    const { consumer: secondRun, values: second } = await cluster().consumeValues('resume-group', 'resume');
    await waitFor(() => second.length >= 5, 'the next five messages');
    expect(second).toEqual(['5', '6', '7', '8', '9']);

    secondRun.seek({ topic: 'resume', partition: 0, offset: '2' });
    await produce('resume', [{ value: 'end' }]);
    await waitFor(() => second.includes('end'), 'the end marker');
    expect(second).toEqual(['5', '6', '7', '8', '9', '2', '3', '4', '5', '6', '7', '8', '9', 'end']);
  });

  it('splits 4 partitions between two consumers, delivers each message once, and hands all 4 to the one that stays', async () => {
    await cluster().createTopic('shared', 4);
    const deliveries: { consumer: string; partition: number; value: number }[] = [];
    const start = async (name: string): Promise<{ consumer: Consumer; assignment: { partitions: number[] } }> => {
      const consumer = await cluster().consumer('pair');
      const assignment = trackAssignment(consumer, 'shared');
      await consumer.subscribe({ topic: 'shared', fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ partition, message }) => void deliveries.push({ consumer: name, partition, value: Number(message.value) }),
      });
      return { consumer, assignment };
    };
    const a = await start('a');
    const b = await start('b');
    await waitFor(() => a.assignment.partitions.length === 2 && b.assignment.partitions.length === 2, 'two partitions each');
    expect([...a.assignment.partitions, ...b.assignment.partitions].sort()).toEqual([0, 1, 2, 3]);

    await produce('shared', range(0, 40).map((i) => ({ value: String(i), partition: i % 4 })));
    await waitFor(() => deliveries.length >= 40, 'the first 40 messages');
    expect(deliveries.map(({ value }) => value).sort((x, y) => x - y)).toEqual(range(0, 40));
    for (const { consumer, partition } of deliveries) {
      expect((consumer === 'a' ? a : b).assignment.partitions).toContain(partition);
    }

    await a.consumer.disconnect();
    await waitFor(() => b.assignment.partitions.length === 4, 'b to own all four partitions');
    await produce('shared', range(40, 80).map((i) => ({ value: String(i), partition: i % 4 })));
    await waitFor(() => deliveries.length >= 80, 'the next 40 messages');
    const afterLeave = deliveries.slice(40);
    expect(afterLeave.map(({ value }) => value).sort((x, y) => x - y)).toEqual(range(40, 80));
    expect(new Set(afterLeave.map(({ consumer }) => consumer))).toEqual(new Set(['b']));
  });

  it('delivers every message exactly once when a consumer joins during slow processing', async () => {
    await cluster().createTopic('slow', 2);
    await produce('slow', range(0, 60).map((i) => ({ value: String(i), partition: i % 2 })));
    const delivered: string[] = [];
    const startSlowConsumer = async (): Promise<void> => {
      const consumer = await cluster().consumer('slow-group');
      await consumer.subscribe({ topic: 'slow', fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          await sleep(20);
          delivered.push(String(message.value));
        },
      });
    };

    await startSlowConsumer();
    await waitFor(() => delivered.length >= 10, 'the first consumer to be busy');
    await startSlowConsumer();
    // End markers behind the 60 messages: once both are in, any redelivery would have happened.
    await produce('slow', [
      { value: 'end-0', partition: 0 },
      { value: 'end-1', partition: 1 },
    ]);
    await waitFor(() => delivered.includes('end-0') && delivered.includes('end-1'), 'both end markers');
    expect(delivered.filter((value) => !value.startsWith('end')).map(Number).sort((x, y) => x - y)).toEqual(range(0, 60));
    expect(delivered).toHaveLength(62);
  });

  it('hands the partitions of a member whose session expired to the other member', async () => {
    await cluster().createTopic('expiry', 2);
    let unblock: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => (unblock = resolve));
    const stuck = await cluster().consumer('expiry-group', { sessionTimeout: 500 });
    const stuckAssignment = trackAssignment(stuck, 'expiry');
    await stuck.subscribe({ topic: 'expiry', fromBeginning: true });
    // Stuck in eachMessage, kafkajs sends no heartbeats.
    await stuck.run({ eachMessage: async ({ message }) => (String(message.value) === 'block' ? blocked : undefined) });
    await waitFor(() => stuckAssignment.partitions.length === 2, 'the first member to own both partitions');

    const healthyValues: string[] = [];
    const healthy = await cluster().consumer('expiry-group');
    const healthyAssignment = trackAssignment(healthy, 'expiry');
    await healthy.subscribe({ topic: 'expiry', fromBeginning: true });
    await healthy.run({ eachMessage: async ({ message }) => void healthyValues.push(String(message.value)) });
    await waitFor(() => stuckAssignment.partitions.length === 1 && healthyAssignment.partitions.length === 1, 'one partition each');

    try {
      const [stuckPartition] = stuckAssignment.partitions;
      await produce('expiry', [{ value: 'block', partition: stuckPartition }]);
      await waitFor(() => healthyAssignment.partitions.length === 2, 'the session to expire and the healthy member to own both');
      await produce('expiry', [
        { value: 'after-0', partition: 0 },
        { value: 'after-1', partition: 1 },
      ]);
      await waitFor(() => healthyValues.length >= 3, 'the blocked message and both later ones');
      expect(healthyValues.sort()).toEqual(['after-0', 'after-1', 'block']);
    } finally {
      unblock();
    }
  });
});
