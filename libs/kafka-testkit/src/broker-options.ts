import { CleanerSettings } from './log/log-cleaner';
import { TopicRegistrySettings } from './log/topic-registry';

/** Compaction of topics created with cleanup.policy=compact; Kafka's defaults unless said otherwise. */
export interface CompactionOptions {
  /** How often the background cleaner looks for dirty partitions; 0 turns it off (compact() still works). Default 1000. */
  intervalMs?: number;
  /** How long a tombstone survives compaction after the first pass that saw it (delete.retention.ms). Default 24 h. */
  deleteRetentionMs?: number;
  /** Share of a partition's records that must be dirty before a background pass (min.cleanable.dirty.ratio). Default 0.5. */
  minDirtyRatio?: number;
  /** And at least this many dirty records. Default 1000. */
  minDirtyRecords?: number;
  /** Epoch milliseconds, for delete horizons. Default Date.now; tests inject one instead of sleeping. */
  clock?: () => number;
}

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
  compaction?: CompactionOptions;
  /** Silent by default. */
  logger?: (message: string) => void;
}

export interface BrokerSettings extends TopicRegistrySettings {
  readonly host: string;
  readonly port: number;
  readonly compaction: CleanerSettings;
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
    compaction: resolveCompactionOptions(options.compaction ?? {}),
    logger: options.logger ?? (() => undefined),
  };
}

function resolveCompactionOptions(options: CompactionOptions): CleanerSettings {
  const settings: CleanerSettings = {
    intervalMs: options.intervalMs ?? 1_000,
    deleteRetentionMs: options.deleteRetentionMs ?? 86_400_000,
    minDirtyRatio: options.minDirtyRatio ?? 0.5,
    minDirtyRecords: options.minDirtyRecords ?? 1_000,
    clock: options.clock ?? Date.now,
  };
  for (const name of ['intervalMs', 'deleteRetentionMs', 'minDirtyRecords'] as const) {
    if (!Number.isSafeInteger(settings[name]) || settings[name] < 0) throw new RangeError(`compaction.${name} must be a non-negative integer, got ${settings[name]}`);
  }
  if (!(settings.minDirtyRatio >= 0 && settings.minDirtyRatio <= 1)) throw new RangeError(`compaction.minDirtyRatio must be within [0, 1], got ${settings.minDirtyRatio}`);
  return settings;
}
