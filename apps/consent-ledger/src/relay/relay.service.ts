import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { EventStore, StoredEvent } from '@consent-ledger/ledger-store';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { isSubjectEvent } from '../ledger/event-views';
import { eventMessage } from './event-message';
import { EVENTS_TOPIC, KafkaPublisher, STATE_TOPIC } from './kafka-publisher';
import { LeaderLock } from './leader-lock';
import { RelayCheckpoint } from './relay-checkpoint';
import { RelayLeadership, RelayRole } from './relay-leadership';
import { relayMetrics } from './relay-metrics';
import { RelayWakeUp } from './relay-wake-up';
import { RetryBackoff } from './retry-backoff';
import { StateEntries } from './state-entries';

export type { RelayRole };

const CHECKPOINT_NAME = 'kafka';
const BATCH_SIZE = 500;
/** The backstop to NOTIFY (missed while reconnecting, or a commit held back behind an older transaction), and the standby's lock retry. */
const POLL_MS = 1_000;
/**
 * Committed events can be held back behind an older transaction still open (xids are cluster-wide);
 * that one may end without a NOTIFY (a rollback, a write in another database), so look again soon.
 */
const HELD_BACK_RECHECK_MS = 50;

export type KafkaState = 'unknown' | 'connected' | 'degraded';

export interface RelayStatus {
  role: RelayRole;
  /** As of the last attempt to reach Kafka; a standby does not connect. */
  kafka: KafkaState;
  /** Position of the last event, in commit order, that Kafka acknowledged and the checkpoint holds. */
  position: number;
  /** The newest position in the log minus the highest published (approximate: positions have gaps). */
  lag: number;
  /** Subject events this instance published. */
  published: number;
  lastPublishedAt: string | null;
  lastError: string | null;
}

/**
 * The transactional outbox relay: the one instance holding the lock (RelayLeadership) reads the log
 * in commit order from its checkpoint (RelayCheckpoint), publishes each batch with an idempotent
 * producer and stores the checkpoint once Kafka acknowledged it. Delivery is at least once: a crash
 * between the two republishes the batch. It is never on the write path: when Kafka is down, writes go
 * on and the relay retries with backoff (RelayWakeUp, RetryBackoff), then catches up. On shutdown it
 * finishes the batch in progress, then stops.
 */
@Injectable()
export class RelayService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RelayService.name);
  private readonly leadership: RelayLeadership;
  private readonly checkpoint: RelayCheckpoint;
  private readonly wakeUp: RelayWakeUp;
  private counters = { lag: 0, published: 0, lastPublishedAt: null as string | null, lastError: null as string | null };
  /** Commit order is not position order, so the checkpoint alone is not where the lag ends. */
  private highestPublished = 0;
  private kafka: KafkaState = 'unknown';

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly store: EventStore,
    private readonly publisher: KafkaPublisher,
    private readonly states: StateEntries,
  ) {
    const lock = new LeaderLock(config.databaseUrl as string, () => this.wakeUp.wake());
    this.checkpoint = new RelayCheckpoint(CHECKPOINT_NAME, lock.query);
    this.leadership = new RelayLeadership(lock, {
      acquired: async () => {
        this.highestPublished = await this.checkpoint.load();
        this.logger.log(`relay active from position ${this.checkpoint.position}`);
      },
      lost: async () => {
        this.kafka = 'unknown';
        await this.publisher.disconnect();
      },
    }, this.logger);
    this.wakeUp = new RelayWakeUp(() => this.cycle(), new RetryBackoff(), {
      failed: (error, failures) => {
        this.counters.lastError = error instanceof Error ? error.message : String(error);
        // Once per outage at warn level: a broker down for minutes retries hundreds of times.
        if (failures === 1) this.logger.warn(`relay failed, retrying with backoff: ${this.counters.lastError}`);
      },
      recovered: (failures) => {
        if (failures > 0) this.logger.log(`relay recovered after ${failures} failed attempts`);
        this.counters.lastError = null;
      },
    });
  }

  onApplicationBootstrap(): void {
    this.wakeUp.start(POLL_MS);
  }

  async onModuleDestroy(): Promise<void> {
    await this.wakeUp.stop();
    await this.publisher.disconnect();
    await this.leadership.resign();
  }

  status(): RelayStatus {
    return { role: this.leadership.role, kafka: this.kafka, position: this.checkpoint.position, ...this.counters };
  }

  private async cycle(): Promise<void> {
    if (!(await this.leadership.lead())) return;
    await this.drain();
    if (this.counters.lag > 0) this.wakeUp.soon(HELD_BACK_RECHECK_MS);
  }

  private async drain(): Promise<void> {
    try {
      await this.connectKafka();
      for (;;) {
        const events = await this.store.readAll(this.checkpoint.position, BATCH_SIZE);
        if (events.length > 0) await this.relay(events);
        if (events.length < BATCH_SIZE || this.wakeUp.stopping) return;
      }
    } finally {
      // Also after a failure, for health to show the backlog; the cycle's own error is the one to report.
      await this.measureLag().catch(() => undefined);
    }
  }

  private async connectKafka(): Promise<void> {
    const createdTopics = await this.onKafka(() => this.publisher.connect());
    if (createdTopics && this.checkpoint.position > 0) {
      // Whatever the checkpoint says was published is not in this cluster (new, or its data lost).
      this.logger.warn(`Kafka had to create the relay's topics: publishing the log again from the start`);
      await this.checkpoint.reset();
      this.highestPublished = 0;
    }
  }

  private async relay(events: StoredEvent[]): Promise<void> {
    const subjectEvents = events.filter(isSubjectEvent);
    const batch = { events: subjectEvents.map(eventMessage), states: await this.states.messagesFor(events) };
    await this.onKafka(() => this.publisher.publish(batch));
    for await (const states of this.states.entriesOfChangedPurposes(events)) {
      await this.onKafka(() => this.publisher.publish({ events: [], states }));
      relayMetrics.published.inc({ topic: STATE_TOPIC }, states.length);
    }
    const acknowledgedAt = Date.now();
    await this.checkpoint.save((events[events.length - 1] as StoredEvent).position);
    this.highestPublished = Math.max(this.highestPublished, ...events.map((event) => event.position));

    relayMetrics.published.inc({ topic: EVENTS_TOPIC }, batch.events.length);
    relayMetrics.published.inc({ topic: STATE_TOPIC }, batch.states.length);
    for (const event of subjectEvents) {
      relayMetrics.latency.observe(Math.max(0, acknowledgedAt - Date.parse(event.recordedAt)) / 1000);
    }
    this.counters.published += subjectEvents.length;
    if (subjectEvents.length > 0) this.counters.lastPublishedAt = new Date(acknowledgedAt).toISOString();
  }

  private async onKafka<T>(operation: () => Promise<T>): Promise<T> {
    try {
      const result = await operation();
      this.kafka = 'connected';
      return result;
    } catch (error) {
      this.kafka = 'degraded';
      throw error;
    }
  }

  private async measureLag(): Promise<void> {
    this.counters.lag = Math.max(0, (await this.store.headPosition()) - this.highestPublished);
    relayMetrics.lag.set(this.counters.lag);
  }
}
