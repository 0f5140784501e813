import { randomUUID } from 'node:crypto';
import { ConsumerConfig, KafkaConfig, logLevel } from 'kafkajs';
import { ConsentClientLogger, silentLogger } from './client-logger';
import { EnforcementAcknowledgerOptions } from './enforcement-acknowledger';

export interface ConsentClientOptions {
  /** Kafka bootstrap servers, e.g. ['127.0.0.1:9092']. */
  brokers: string[];
  /** The ledger's base URL, e.g. 'http://consent-ledger:3000'; GET /v1/check is resolved against it. */
  httpBaseUrl: string;
  /** An API key with the consents:read scope. */
  apiKey: string;
  /** Default 'consent-client'. */
  clientId?: string;
  /**
   * Default: `${clientId}-${random UUID}`. Every process needs its own group, since each one keeps a
   * full copy of the state: instances sharing a group would split the partitions and each miss some.
   */
  groupId?: string;
  /** Default consent.events.v1 and consent.state.v1. */
  topics?: { events?: string; state?: string };
  /** Timeout of one GET /v1/check. Default 2000. */
  httpTimeoutMs?: number;
  /** A pino logger fits. Default: silent. */
  logger?: ConsentClientLogger;
  /** Passed to kafkajs (ssl, sasl, retry, logLevel...). kafkajs' own log lines go to `logger`, from WARN up by default. */
  kafka?: Omit<KafkaConfig, 'brokers' | 'clientId' | 'logCreator'>;
  /** Passed to the kafkajs consumer (sessionTimeout, heartbeatInterval, maxWaitTimeInMs...). */
  consumer?: Omit<ConsumerConfig, 'groupId'>;
  /**
   * Closed-loop enforcement: acknowledge to the ledger, as this registered service, every withdrawal,
   * refusal, objection, expiry and erasure once the onChange listeners for it have returned. `apiKey`
   * (default: the client's) needs the enforcements:write scope.
   */
  enforcement?: Omit<EnforcementAcknowledgerOptions, 'httpBaseUrl' | 'apiKey' | 'logger'> & { apiKey?: string };
  /**
   * The ledger's verifier key (GET /v1/ledger/verifier-key). Given it, every message without a valid
   * `ledger-signature` is dropped and counted in `metrics.rejectedMessages`. Recommended: without it
   * anyone able to produce to the topics can change the answers.
   */
  verifierKey?: string;
}

export interface ConsentClientSettings {
  kafka: KafkaConfig;
  consumer: ConsumerConfig;
  topics: { events: string; state: string };
  http: { baseUrl: string; apiKey: string; timeoutMs: number };
  logger: ConsentClientLogger;
  enforcement: EnforcementAcknowledgerOptions | null;
  verifierKey: string | undefined;
}

export const EVENTS_TOPIC = 'consent.events.v1';
export const STATE_TOPIC = 'consent.state.v1';
const DEFAULT_CLIENT_ID = 'consent-client';
const DEFAULT_HTTP_TIMEOUT_MS = 2000;

export function resolveClientOptions(options: ConsentClientOptions): ConsentClientSettings {
  if (options.brokers.length === 0) throw new TypeError('ConsentClient needs at least one Kafka broker');
  const clientId = options.clientId ?? DEFAULT_CLIENT_ID;
  const logger = options.logger ?? silentLogger;
  const { enforcement } = options;
  return {
    kafka: { logLevel: logLevel.WARN, ...options.kafka, brokers: options.brokers, clientId },
    consumer: { ...options.consumer, groupId: options.groupId ?? `${clientId}-${randomUUID()}` },
    topics: { events: options.topics?.events ?? EVENTS_TOPIC, state: options.topics?.state ?? STATE_TOPIC },
    http: { baseUrl: options.httpBaseUrl, apiKey: options.apiKey, timeoutMs: options.httpTimeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS },
    logger,
    enforcement: enforcement === undefined
      ? null
      : { ...enforcement, httpBaseUrl: options.httpBaseUrl, apiKey: enforcement.apiKey ?? options.apiKey, logger },
    verifierKey: options.verifierKey,
  };
}
