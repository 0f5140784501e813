import { ErrorCode } from '../protocol/error-code';

/** The topic configs (CreateTopics config entries) this broker acts on; others are kept but have no effect. */
export interface TopicConfig {
  /** cleanup.policy contains `compact`: the log keeps the latest record of each key. */
  readonly compact: boolean;
  /** delete.retention.ms: how long a tombstone survives compaction; null means the broker's default. */
  readonly deleteRetentionMs: number | null;
  /** min.cleanable.dirty.ratio; null means the broker's default. */
  readonly minDirtyRatio: number | null;
}

export type TopicConfigEntries = Readonly<Record<string, string>>;

export const DEFAULT_TOPIC_CONFIG: TopicConfig = { compact: false, deleteRetentionMs: null, minDirtyRatio: null };

const CLEANUP_POLICIES = new Set(['compact', 'delete']);

/** Reads the entries as Kafka would, or answers InvalidConfig (40) for a value Kafka would refuse. */
export function parseTopicConfig(entries: TopicConfigEntries): TopicConfig | ErrorCode.InvalidConfig {
  const policy = entries['cleanup.policy'];
  const policies = policy === undefined ? ['delete'] : policy.split(',').map((item) => item.trim());
  if (!policies.every((item) => CLEANUP_POLICIES.has(item))) return ErrorCode.InvalidConfig;
  const deleteRetentionMs = optionalNumber(entries['delete.retention.ms'], (value) => Number.isSafeInteger(value) && value >= 0);
  const minDirtyRatio = optionalNumber(entries['min.cleanable.dirty.ratio'], (value) => value >= 0 && value <= 1);
  if (deleteRetentionMs === undefined || minDirtyRatio === undefined) return ErrorCode.InvalidConfig;
  // Only compaction is implemented: `delete` (time and size retention) keeps everything, a superset of what it asks.
  return { compact: policies.includes('compact'), deleteRetentionMs, minDirtyRatio };
}

/** Null when absent, undefined when present but not a valid number. */
function optionalNumber(text: string | undefined, isValid: (value: number) => boolean): number | null | undefined {
  if (text === undefined) return null;
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) && isValid(value) ? value : undefined;
}
