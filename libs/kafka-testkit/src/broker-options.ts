import { TopicRegistrySettings } from './log/topic-registry';

export interface KafkaBrokerOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 9092; 0 picks a free port. */
  port?: number;
  /**
   * When set, topics, logs and committed group offsets persist there (append-only files) and are reloaded
   * at start. Writes are not fsynced, but everything acknowledged survives a restart of the process.
   */
  dataDir?: string;
  /** Partitions of auto-created topics and of CreateTopics with numPartitions -1. Default 1. */
  defaultPartitions?: number;
  /** Create unknown topics when a client's Metadata request allows it. Default true. */
  autoCreateTopics?: boolean;
  /** Silent by default. */
  logger?: (message: string) => void;
}

export interface BrokerSettings extends TopicRegistrySettings {
  readonly host: string;
  readonly port: number;
}

export function resolveBrokerOptions(options: KafkaBrokerOptions): BrokerSettings {
  const defaultPartitions = options.defaultPartitions ?? 1;
  if (!Number.isInteger(defaultPartitions) || defaultPartitions < 1) {
    throw new RangeError(`defaultPartitions must be a positive integer, got ${defaultPartitions}`);
  }
  return {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 9092,
    dataDir: options.dataDir ?? null,
    defaultPartitions,
    autoCreateTopics: options.autoCreateTopics ?? true,
    logger: options.logger ?? (() => undefined),
  };
}
