import { setImmediate as nextTurn } from 'node:timers/promises';
import { CompactionAbandoned, CompactionReport, PartitionLog } from './partition-log';
import { Pause } from './log-compaction';
import { Topic, TopicRegistry } from './topic-registry';

/** The broker-wide compaction settings; topics may override the retention and ratio in their configs. */
export interface CleanerSettings {
  /** How often the background cleaner looks for partitions worth a pass; 0 turns it off (compact() still works). */
  readonly intervalMs: number;
  /** Kafka's log.cleaner.delete.retention.ms. */
  readonly deleteRetentionMs: number;
  /** Kafka's log.cleaner.min.cleanable.ratio. */
  readonly minDirtyRatio: number;
  /** Dirty records below which a partition is not worth a pass, whatever the ratio. */
  readonly minDirtyRecords: number;
  /** Epoch milliseconds; tests inject one to pass delete horizons without waiting. */
  readonly clock: () => number;
}

export interface PartitionCompaction extends CompactionReport {
  readonly topic: string;
  readonly partition: number;
}

/** A pass holds the event loop at most this long before letting produce and fetch requests through. */
const SLICE_MS = 5;

/**
 * Kafka's log cleaner for the topics whose cleanup.policy includes compact: passes run one at a time,
 * in the background when a partition is dirty enough, or on demand for every partition.
 */
export class LogCleaner {
  private timer: NodeJS.Timeout | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private stopping = new AbortController();
  private running = false;

  constructor(
    private readonly topics: TopicRegistry,
    private readonly settings: CleanerSettings,
    private readonly logger: (message: string) => void,
  ) {}

  resume(): void {
    this.running = true;
    this.stopping = new AbortController();
    this.scheduleTick();
  }

  /** Stops the timer and abandons the pass in progress, leaving its log as it was. */
  async suspend(): Promise<void> {
    this.running = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.stopping.abort();
    await this.queue;
  }

  /** A pass over every partition of every compacted topic, however little is dirty. */
  compactAll(): Promise<PartitionCompaction[]> {
    return this.enqueue(() => this.compactWhere(() => true));
  }

  private scheduleTick(): void {
    // A tick ending after a suspend() and resume() finds the new timer already set: one chain of ticks only.
    if (!this.running || this.settings.intervalMs <= 0 || this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const { minDirtyRecords } = this.settings;
      this.enqueue(() =>
        this.compactWhere((log, topic) => log.needsCompaction({ now: this.settings.clock(), minDirtyRecords, minDirtyRatio: this.minDirtyRatio(topic) })),
      )
        .catch((error: Error) => this.logger(`kafka-testkit: log compaction failed: ${error.stack ?? error.message}`))
        .finally(() => this.scheduleTick());
    }, this.settings.intervalMs);
    // A broker someone forgot to stop must not keep the process alive for its cleaner.
    this.timer.unref();
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async compactWhere(selected: (log: PartitionLog, topic: Topic) => boolean): Promise<PartitionCompaction[]> {
    const done: PartitionCompaction[] = [];
    const signal = this.stopping.signal;
    for (const topic of this.topics.all()) {
      if (!topic.config.compact) continue;
      for (const [partition, log] of topic.partitions.entries()) {
        if (signal.aborted) return done;
        if (!selected(log, topic)) continue;
        const startedAt = performance.now();
        const deleteRetentionMs = topic.config.deleteRetentionMs ?? this.settings.deleteRetentionMs;
        const report = await log.compact({ now: this.settings.clock(), deleteRetentionMs }, pauseEvery(SLICE_MS, signal));
        if (report === null) continue;
        done.push({ topic: topic.name, partition, ...report });
        this.logger(
          `kafka-testkit: compacted ${topic.name}-${partition}: ${report.recordsBefore} → ${report.recordsAfter} records ` +
            `in ${Math.round(performance.now() - startedAt)} ms`,
        );
      }
    }
    return done;
  }

  private minDirtyRatio(topic: Topic): number {
    return topic.config.minDirtyRatio ?? this.settings.minDirtyRatio;
  }
}

/** Yields to the event loop once a slice has run sliceMs; abandons the pass once the broker stops. */
function pauseEvery(sliceMs: number, signal: AbortSignal): Pause {
  let sliceStart = performance.now();
  return async () => {
    if (performance.now() - sliceStart < sliceMs) return;
    await nextTurn();
    if (signal.aborted) throw new CompactionAbandoned('the broker stopped');
    sliceStart = performance.now();
  };
}
