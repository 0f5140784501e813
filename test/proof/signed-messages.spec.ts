import { ConsentClient } from '@consent-ledger/consent-client';
import {
  MESSAGE_SIGNATURE_HEADER, openNote, parseCheckpoint, parseVerifierKey, verifyMessage,
} from '@consent-ledger/transparency-log';
import { Kafka, logLevel } from 'kafkajs';
import { CHECKPOINTS_TOPIC } from '../../apps/consent-ledger/src/proof/checkpoint-publisher';
import { STATE_TOPIC, record, runKafkaBrokers, uniquePrefix, until, usePublishingLedger } from '../relay/relay-fixture';
import { text } from './proof-fixture';

describe('signed Kafka messages', () => {
  const prefix = uniquePrefix('signed');
  const publishing = usePublishingLedger(prefix);
  const clients: ConsentClient[] = [];
  const kafka = new Kafka({ clientId: 'forger', brokers: runKafkaBrokers(), logLevel: logLevel.NOTHING });
  const producer = kafka.producer();

  beforeAll(() => producer.connect());
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.stop()));
    await producer.disconnect();
  });

  const startClient = async (verifierKey?: string) => {
    const client = new ConsentClient({
      brokers: runKafkaBrokers(),
      httpBaseUrl: publishing.ledger.baseUrl,
      apiKey: publishing.ledger.adminKey,
      kafka: { logLevel: logLevel.NOTHING, retry: { initialRetryTime: 50, retries: 10 } },
      consumer: { maxWaitTimeInMs: 100, heartbeatInterval: 50, sessionTimeout: 3000 },
      ...(verifierKey ? { verifierKey } : {}),
    });
    clients.push(client);
    await client.start();
    return client;
  };

  it('signs every relayed message over topic, key and value with the log key', async () => {
    const { ledger, collector } = publishing;
    const vkey = parseVerifierKey((await text(ledger, '/v1/ledger/verifier-key', null)).body);
    expect((await record(ledger, `${prefix}-sam`, 'ConsentGranted')).status).toBe(201);
    await until(() => collector.events().length > 0 && collector.states().length > 0, 'the event and state messages');
    for (const message of [...collector.events(), ...collector.states()]) {
      const signature = message.headers[MESSAGE_SIGNATURE_HEADER];
      expect(verifyMessage(vkey.publicKey, message.topic, message.key, JSON.stringify(message.value), signature)).toBe(true);
      expect(verifyMessage(vkey.publicKey, message.topic === STATE_TOPIC ? 'consent.events.v1' : STATE_TOPIC, message.key, JSON.stringify(message.value), signature)).toBe(false);
    }
  });

  it('publishes signed checkpoints on consent.checkpoints.v1, keyed by origin', async () => {
    const { ledger } = publishing;
    const vkey = parseVerifierKey((await text(ledger, '/v1/ledger/verifier-key', null)).body);
    const consumer = kafka.consumer({ groupId: uniquePrefix('checkpoints'), maxWaitTimeInMs: 100 });
    const notes: { key: string; note: string }[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [CHECKPOINTS_TOPIC], fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void notes.push({ key: String(message.key), note: String(message.value) }) });
      await until(() => notes.some((n) => n.key === vkey.name), 'a checkpoint of this ledger');
    } finally {
      await consumer.disconnect();
    }
    const mine = notes.filter((n) => n.key === vkey.name);
    expect(parseCheckpoint(openNote(mine[mine.length - 1].note, [vkey])).origin).toBe(vkey.name);
  });

  it('an SDK given the verifier key drops and counts forged state records; one without it is fooled', async () => {
    const { ledger, collector } = publishing;
    const vkey = (await text(ledger, '/v1/ledger/verifier-key', null)).body.trim();
    const subject = `${prefix}-tom`;
    expect((await record(ledger, subject, 'ConsentGranted')).status).toBe(201);
    expect((await record(ledger, subject, 'ConsentWithdrawn')).status).toBe(201);
    await until(() => collector.states().some((m) => m.key === `newsletter:${subject}` && m.value.status === 'withdrawn'), 'the withdrawal on the state topic');
    const real = collector.states().filter((m) => m.key === `newsletter:${subject}`).at(-1)!;

    const guarded = await startClient(vkey);
    const unguarded = await startClient();
    expect(guarded.isAllowed(subject, 'newsletter')).toBe(false);
    // The run's topics are shared: records other test files' ledgers signed with their own keys are rejected too.
    const rejectedBefore = guarded.metrics.rejectedMessages;

    // Valid JSON, a later position, allowed: what kcat could write. Once unsigned, once with the real record's signature.
    const forged = JSON.stringify({ ...real.value, status: 'granted', allowed: true, reason: 'consent_granted', since: new Date().toISOString(), expiresAt: null, position: real.value.position + 1000 });
    await producer.send({ topic: STATE_TOPIC, messages: [{ key: real.key, value: forged }] });
    await producer.send({ topic: STATE_TOPIC, messages: [{ key: real.key, value: forged, headers: { [MESSAGE_SIGNATURE_HEADER]: real.headers[MESSAGE_SIGNATURE_HEADER] } }] });

    await until(() => guarded.metrics.rejectedMessages >= rejectedBefore + 2, 'both forged records rejected');
    expect(guarded.metrics.rejectedMessages).toBe(rejectedBefore + 2);
    await until(() => unguarded.isAllowed(subject, 'newsletter'), 'the unguarded client to take the forgery');
    expect(guarded.isAllowed(subject, 'newsletter')).toBe(false);
    expect(await guarded.check(subject, 'newsletter')).toBe(false);
  });
});
