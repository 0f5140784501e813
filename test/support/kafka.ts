import path from 'node:path';
// Relative for the same reason as in postgres.ts: global setup does not see moduleNameMapper.
import { dockerAvailable } from '../../libs/runtime/src';

/** The Kafka of a test run. */
export interface TestKafka {
  /** Bootstrap servers as a comma-separated list (kafkajs takes `brokers.split(',')`). */
  brokers: string;
  source: 'KAFKA_BROKERS' | 'testcontainers' | 'in-repo';
  stop(): Promise<void>;
}

/**
 * Picks the Kafka for a test run: KAFKA_BROKERS (left running), else a KRaft container when a
 * Docker engine answers, else the in-repo broker from libs/kafka-testkit, in memory on a free port.
 */
export async function startKafka(): Promise<TestKafka> {
  const external = process.env.KAFKA_BROKERS;
  if (external) {
    return { brokers: external, source: 'KAFKA_BROKERS', stop: async () => undefined };
  }
  return (await dockerAvailable()) ? startContainer() : startInRepoBroker();
}

/** The PLAINTEXT listener @testcontainers/kafka exposes to the host. */
const CONTAINER_KAFKA_PORT = 9093;

async function startContainer(): Promise<TestKafka> {
  // Loaded lazily: testcontainers is only needed, and only worth its import time, with Docker.
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const container = await new KafkaContainer('confluentinc/cp-kafka:7.9.0').withKraft().start();
  return {
    brokers: `${container.getHost()}:${container.getMappedPort(CONTAINER_KAFKA_PORT)}`,
    source: 'testcontainers',
    stop: async () => {
      await container.stop();
    },
  };
}

/** By path: global setup does not resolve '@consent-ledger/kafka-testkit'. */
const KAFKA_TESTKIT = path.resolve(__dirname, '../../libs/kafka-testkit/src');

async function startInRepoBroker(): Promise<TestKafka> {
  // Loaded on demand, like the containers: a run against KAFKA_BROKERS or Docker never loads it.
  const { KafkaBroker } = (await import(KAFKA_TESTKIT)) as typeof import('../../libs/kafka-testkit/src');
  const broker = await KafkaBroker.start({ port: 0 });
  return { brokers: broker.address, source: 'in-repo', stop: () => broker.stop() };
}
