import { resolve } from 'node:path';

/** Everything the service reads from its environment, resolved once at start. */
export interface AppConfig {
  port: number;
  /** Listen address; unset: 127.0.0.1 in embedded mode (no DATABASE_URL), else 0.0.0.0 (main.ts decides). */
  host: string | undefined;
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
  /** Unknown API keys an address may present per minute before it gets 429 without any key lookup. */
  authFailuresPerMinute: number;
  /**
   * Proxies whose X-Forwarded-For names the client (Fastify's trustProxy: true, a hop count, or
   * addresses/CIDRs); unset: the peer address is the client.
   */
  trustProxy: boolean | number | string | undefined;
  /** Browser origins allowed by CORS; unset: no CORS headers at all. */
  corsOrigins: string[] | undefined;
  /** How long in-flight requests may finish after SIGTERM before the server closes them. */
  shutdownGraceMs: number;
  /** base64 of 32 bytes: the master key being rotated away from, accepted until the rotation is done. */
  masterKeyPrevious: string | undefined;
  /** The controller named in exports (and receipts). */
  controller: { name: string | undefined; contact: string | undefined; policyUrl: string | undefined };
  /** Idempotency records older than this are dropped by the retention sweep. */
  idempotencyTtlDays: number;
  /** Personal proof fields of a subject with no event for this long are shredded by the retention sweep. */
  proofRetentionYears: number;
  /** How often the retention sweep runs; 0 turns it off. */
  retentionIntervalMs: number;
  /** Run pending migrations at start; false where a job runs them before the rollout (`main.js migrate`). */
  migrationsAuto: boolean;
  /** The log's Ed25519 key: base64 of a 32-byte seed, or a Go signer key (PRIVATE+KEY+...); unset: generated once into dataDir. */
  signingKey: string | undefined;
  /** The log's name in checkpoints; unset: consent-ledger.local/<database system identifier>. */
  logOrigin: string | undefined;
  /** At most one signed checkpoint per interval while events arrive; 0 turns the sealer off. */
  checkpointIntervalMs: number;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export function readConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return {
    port: integer(env.PORT, 3000),
    host: env.HOST || undefined,
    databaseUrl: env.DATABASE_URL || undefined,
    kafkaBrokers: list(env.KAFKA_BROKERS),
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
    authFailuresPerMinute: integer(env.AUTH_FAILURES_PER_MINUTE, 60),
    corsOrigins: list(env.CORS_ORIGINS),
    trustProxy: trustProxy(env.TRUST_PROXY),
    shutdownGraceMs: integer(env.SHUTDOWN_GRACE_MS, 10_000),
    masterKeyPrevious: env.CONSENT_MASTER_KEY_PREVIOUS || undefined,
    signingKey: env.CONSENT_SIGNING_KEY || undefined,
    logOrigin: env.CONSENT_LOG_ORIGIN || undefined,
    checkpointIntervalMs: integer(env.CHECKPOINT_INTERVAL_MS, 1000),
    controller: {
      name: env.CONSENT_CONTROLLER_NAME || undefined,
      contact: env.CONSENT_CONTROLLER_CONTACT || undefined,
      policyUrl: env.CONSENT_CONTROLLER_POLICY_URL || undefined,
    },
    idempotencyTtlDays: integer(env.IDEMPOTENCY_TTL_DAYS, 30),
    proofRetentionYears: integer(env.PROOF_RETENTION_YEARS, 5),
    retentionIntervalMs: integer(env.RETENTION_INTERVAL_MS, 3_600_000),
    migrationsAuto: env.MIGRATIONS_AUTO !== 'false',
  };
}

function integer(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`expected a non-negative integer, got "${value}"`);
  return parsed;
}

function list(value: string | undefined): string[] | undefined {
  const items = value?.split(',').map((item) => item.trim()).filter(Boolean) ?? [];
  return items.length > 0 ? items : undefined;
}

function trustProxy(value: string | undefined): boolean | number | string | undefined {
  if (value === undefined || value === '' || value === 'false') return undefined;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}
