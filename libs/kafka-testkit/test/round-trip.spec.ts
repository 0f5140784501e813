import { KafkaMessage, Message } from 'kafkajs';
import { decodeHeaders, useTestCluster, waitFor } from './test-cluster';

const TOPIC = 'consent.events.v1';

interface Delivered {
  readonly offset: string;
  readonly key: string | null;
  readonly value: string | null;
  readonly timestamp: string;
  readonly headers: Record<string, string | string[]>;
}

const SENT: Message[] = [
  { key: 'subject-1', value: '{"type":"ConsentGranted"}', timestamp: '1700000000000', headers: { 'event-type': 'ConsentGranted', trace: ['a', 'b'] } },
  { key: null, value: 'no key', timestamp: '1700000000001' },
  { key: 'subject-1', value: null, timestamp: '1700000000002', headers: { tombstone: 'yes' } },
  { key: 'subject-2', value: 'é ü 漢字', timestamp: '1700000000003', headers: { trace: ['c', 'd', 'e'] } },
];

const EXPECTED: Delivered[] = [
  { offset: '0', key: 'subject-1', value: '{"type":"ConsentGranted"}', timestamp: '1700000000000', headers: { 'event-type': 'ConsentGranted', trace: ['a', 'b'] } },
  { offset: '1', key: null, value: 'no key', timestamp: '1700000000001', headers: {} },
  { offset: '2', key: 'subject-1', value: null, timestamp: '1700000000002', headers: { tombstone: 'yes' } },
  { offset: '3', key: 'subject-2', value: 'é ü 漢字', timestamp: '1700000000003', headers: { trace: ['c', 'd', 'e'] } },
];

describe('KafkaBroker round trip (kafkajs producer and consumers)', () => {
  const cluster = useTestCluster();

  it('delivers keys, null values, repeated headers and timestamps, from the beginning, to eachMessage and eachBatch', async () => {
    const producer = await cluster().producer();
    // Two sends, so the log holds two batches and consumers read across a batch boundary.
    await producer.send({ topic: TOPIC, messages: SENT.slice(0, 2) });
    await producer.send({ topic: TOPIC, messages: SENT.slice(2) });

    const byMessage: Delivered[] = [];
    const messageConsumer = await cluster().consumer('each-message');
    await messageConsumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await messageConsumer.run({ eachMessage: async ({ message }) => void byMessage.push(delivered(message)) });

    const byBatch: Delivered[] = [];
    const batchConsumer = await cluster().consumer('each-batch');
    await batchConsumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await batchConsumer.run({ eachBatch: async ({ batch }) => void byBatch.push(...batch.messages.map(delivered)) });

    await waitFor(() => byMessage.length >= EXPECTED.length && byBatch.length >= EXPECTED.length, 'both consumers to catch up');
    expect(byMessage).toEqual(EXPECTED);
    expect(byBatch).toEqual(EXPECTED);
  });

  it('answers a long-polling fetch as soon as a message is appended', async () => {
    // The consumer long-polls for 30 s, longer than waitFor allows: only the append itself can deliver in time.
    const { consumer, values } = await cluster().consumeValues('live', TOPIC, { maxWaitTimeInMs: 30_000 });
    const producer = await cluster().producer();

    await producer.send({ topic: TOPIC, messages: [{ value: 'first' }] });
    await waitFor(() => values.length === 1, 'the first message', 10_000);
    await producer.send({ topic: TOPIC, messages: [{ value: 'second' }] });
    await waitFor(() => values.length === 2, 'the second message', 10_000);
    expect(values).toEqual(['first', 'second']);

    // kafkajs stops once its in-flight fetch returns, which takes an append.
    const stopped = consumer.stop();
    await producer.send({ topic: TOPIC, messages: [{ value: 'unblocks the last poll' }] });
    await stopped;
  });
});

function delivered(message: KafkaMessage): Delivered {
  return {
    offset: message.offset,
    key: message.key?.toString() ?? null,
    value: message.value?.toString() ?? null,
    timestamp: message.timestamp,
    headers: decodeHeaders(message.headers),
  };
}
