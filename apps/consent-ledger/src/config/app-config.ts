import { resolve } from 'node:path';

/** Everything the service reads from its environment, resolved once at start. */
export interface AppConfig {
  port: number;
  /** Unset: embedded Postgres under dataDir. */
  databaseUrl: string | undefined;
  /** Unset: the in-repo broker on embeddedKafkaPort. */
  kafkaBrokers: string[] | undefined;
  embeddedKafkaPort: number;
  /** The outbox relay to Kafka; it runs only where kafkaBrokers is known (main.ts always fills it). */
  relayEnabled: boolean;
  /** Partitions of the topics the relay creates when they are missing. */
  kafkaTopicPartitions: number;
  /** Unset: generated at start (embedded mode prints it). */
  adminKey: string | undefined;
  /** base64 of 32 bytes; unset: generated once into dataDir. */
  masterKey: string | undefined;
  logLevel: string;
  dataDir: string;
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  /** Requests a client (API key, else IP) may make per second before 429. */
  rateLimitPerSecond: number;
  /** How often due grants are expired (ConsentExpired appended); 0 turns the scheduler off. */
  expiryIntervalMs: number;
  /** The log's Ed25519 key: base64 of a 32-byte seed, or a Go signer key (PRIVATE+KEY+...); unset: generated once into dataDir. */
  signingKey: string | undefined;
  /** The log's name in checkpoints; unset: consent-ledger.local/<database system identifier>. */
  logOrigin: string | undefined;
  /** At most one signed checkpoint per interval while events arrive; 0 turns the sealer off. */
  checkpointIntervalMs: number;
  /** The controller named in consent receipts. */
  controller: { name: string | undefined; contact: string | undefined; policyUrl: string | undefined };
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export function readConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return {
    port: integer(env.PORT, 3000),
    databaseUrl: env.DATABASE_URL || undefined,
    kafkaBrokers: env.KAFKA_BROKERS ? env.KAFKA_BROKERS.split(',').map((b) => b.trim()).filter(Boolean) : undefined,
    embeddedKafkaPort: integer(env.EMBEDDED_KAFKA_PORT, 9092),
    relayEnabled: env.RELAY_ENABLED !== 'false',
    kafkaTopicPartitions: integer(env.KAFKA_TOPIC_PARTITIONS, 3),
    adminKey: env.CONSENT_ADMIN_KEY || undefined,
    masterKey: env.CONSENT_MASTER_KEY || undefined,
    logLevel: env.LOG_LEVEL || 'info',
    dataDir: resolve(env.CONSENT_DATA_DIR || '.data'),
    // A 10,000-id bulk check of 128-char ids is about 1.4 MB.
    bodyLimit: integer(env.BODY_LIMIT_BYTES, 2 * 1024 * 1024),
    rateLimitPerSecond: integer(env.RATE_LIMIT_PER_SECOND, 2000),
    expiryIntervalMs: integer(env.EXPIRY_INTERVAL_MS, 30_000),
    signingKey: env.CONSENT_SIGNING_KEY || undefined,
    logOrigin: env.CONSENT_LOG_ORIGIN || undefined,
    checkpointIntervalMs: integer(env.CHECKPOINT_INTERVAL_MS, 1000),
    controller: {
      name: env.CONSENT_CONTROLLER_NAME || undefined,
      contact: env.CONSENT_CONTROLLER_CONTACT || undefined,
      policyUrl: env.CONSENT_CONTROLLER_POLICY_URL || undefined,
    },
  };
}

function integer(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`expected a non-negative integer, got "${value}"`);
  return parsed;
}
