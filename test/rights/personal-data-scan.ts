import { Kafka, KafkaMessage, logLevel } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { withPgClient } from '@consent-ledger/runtime';

export interface Finding {
  where: string;
  needle: string;
}

/** The needles and their hex form, as a bytea column cast to text would show them in clear. */
const forms = (needle: string) => [needle, Buffer.from(needle).toString('hex')];

/** Every row of every table of the public schema, all columns cast to text, searched for each needle. */
export async function scanTables(databaseUrl: string, needles: readonly string[]): Promise<Finding[]> {
  return withPgClient(databaseUrl, async (client) => {
    const { rows: tables } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    const findings: Finding[] = [];
    for (const { table_name: table } of tables) {
      const { rows } = await client.query<{ row: string }>(`SELECT t::text AS row FROM ${client.escapeIdentifier(table)} t`);
      for (const { row } of rows) {
        for (const needle of needles) {
          if (forms(needle).some((form) => row.includes(form))) findings.push({ where: table, needle });
        }
      }
    }
    return findings;
  });
}

type OnMessage = (topic: string, partition: number, message: KafkaMessage) => void;

/** Reads `topics` (all but internal ones when omitted) from their beginning to their end as of the call. */
async function readToEnd(brokers: string[], topics: string[] | undefined, onMessage: OnMessage): Promise<string[]> {
  const kafka = new Kafka({ clientId: 'rights-test-reader', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const names = topics ?? (await admin.listTopics()).filter((topic) => !topic.startsWith('__'));
  const ends = new Map<string, bigint>();
  for (const topic of names) {
    for (const { partition, high } of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}/${partition}`, BigInt(high));
  }
  await admin.disconnect();
  const read = new Map<string, bigint>();
  const done = () => [...ends].every(([key, high]) => high === 0n || (read.get(key) ?? -1n) >= high - 1n);
  const consumer = kafka.consumer({ groupId: `rights-test-${randomBytes(4).toString('hex')}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: names, fromBeginning: true });
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        read.set(`${topic}/${partition}`, BigInt(message.offset));
        onMessage(topic, partition, message);
        if (done()) finish();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('did not reach the end of the topics')), 30_000);
    });
    try {
      if (!done()) await Promise.race([finished, timeout]);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await consumer.disconnect();
  }
  return names;
}

/** Every message of every topic on the brokers (keys, values, headers), from the beginning, searched for each needle. */
export async function scanTopics(brokers: string[], needles: readonly string[]): Promise<{ findings: Finding[]; topics: string[]; messages: number }> {
  const findings: Finding[] = [];
  let messages = 0;
  const topics = await readToEnd(brokers, undefined, (topic, partition, message) => {
    messages += 1;
    const text = [message.key?.toString('utf8'), message.value?.toString('utf8'), ...Object.values(message.headers ?? {}).map(String)].join('\n');
    for (const needle of needles) if (text.includes(needle)) findings.push({ where: `${topic}/${partition}@${message.offset}`, needle });
  });
  return { findings, topics, messages };
}

/** A compacted topic as a reader from its beginning holds it: the last value of each key, tombstones forgetting it. */
export async function compactedView(brokers: string[], topic: string, keyIncludes: string): Promise<Map<string, unknown>> {
  const view = new Map<string, unknown>();
  await readToEnd(brokers, [topic], (_topic, _partition, message) => {
    const key = message.key?.toString('utf8') ?? '';
    if (!key.includes(keyIncludes)) return;
    if (message.value === null) view.delete(key);
    else view.set(key, JSON.parse(message.value.toString('utf8')));
  });
  return view;
}
