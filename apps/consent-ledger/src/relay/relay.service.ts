import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { EventStore, StoredEvent } from '@consent-ledger/ledger-store';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { isSubjectEvent } from '../ledger/event-views';
import { eventMessage } from './event-message';
import { EVENTS_TOPIC, KafkaPublisher, STATE_TOPIC } from './kafka-publisher';
import { LeaderLock } from './leader-lock';
import { RelayCheckpoint } from './relay-checkpoint';
import { relayMetrics } from './relay-metrics';
import { StateEntries } from './state-entries';

const CHECKPOINT_NAME = 'kafka';
const BATCH_SIZE = 500;
/** The backstop to NOTIFY (missed while reconnecting, or a commit held back behind an older transaction), and the standby's lock retry. */
const POLL_MS = 1_000;
/**
 * Committed events can be held back behind an older transaction still open (xids are cluster-wide);
 * that one may end without a NOTIFY (a rollback, a write in another database), so look again soon.
 */
const HELD_BACK_RECHECK_MS = 50;
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

export type RelayRole = 'starting' | 'active' | 'standby' | 'stopped';
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
 * The transactional outbox relay: the one instance holding the lock reads the log in commit order
 * from its checkpoint, publishes each batch with an idempotent producer and stores the checkpoint
 * once Kafka acknowledged it. Delivery is at least once: a crash between the two republishes the
 * batch. It is never on the write path: when Kafka is down, writes go on and the relay retries with
 * backoff, then catches up.
 */
@Injectable()
export class RelayService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RelayService.name);
  private readonly lock: LeaderLock;
  private readonly checkpoint: RelayCheckpoint;
  private current: Omit<RelayStatus, 'role' | 'kafka'> = { position: 0, lag: 0, published: 0, lastPublishedAt: null, lastError: null };
  /** Commit order is not position order, so the checkpoint alone is not where the lag ends. */
  private highestPublished = 0;
  private role: RelayRole = 'starting';
  private kafka: KafkaState = 'unknown';
  private failures = 0;
  /** Set by every wake-up, so one arriving mid-cycle runs another cycle instead of being lost. */
  private wanted = false;
  private cycle: Promise<void> | undefined;
  private poll: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private recheck: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly publisher: KafkaPublisher,
    private readonly states: StateEntries,
  ) {
    this.lock = new LeaderLock(config.databaseUrl as string, () => this.wake());
    this.checkpoint = new RelayCheckpoint(CHECKPOINT_NAME, this.lock.query);
  }

  onApplicationBootstrap(): void {
    this.poll = setInterval(() => this.wake(), POLL_MS);
    this.wake();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poll);
    clearTimeout(this.retry);
    clearTimeout(this.recheck);
    await this.cycle;
    await this.publisher.disconnect();
    await this.lock.release();
    this.role = 'stopped';
  }

  status(): RelayStatus {
    return { role: this.role, kafka: this.kafka, ...this.current };
  }

  private wake(): void {
    this.wanted = true;
    if (this.cycle || this.retry || this.stopped) return;
    this.cycle = this.run().finally(() => (this.cycle = undefined));
  }

  private async run(): Promise<void> {
    while (this.wanted && !this.stopped) {
      this.wanted = false;
      try {
        if (await this.lead()) {
          await this.drain();
          if (this.current.lag > 0) this.recheckSoon();
        }
        if (this.failures > 0) this.logger.log(`relay recovered after ${this.failures} failed attempts`);
        this.failures = 0;
        this.current.lastError = null;
      } catch (error) {
        this.backOff(error);
        return;
      }
    }
  }

  /** Whether this instance is the active relay, taking the lock when it is free. */
  private async lead(): Promise<boolean> {
    if (this.lock.isHeld) return true;
    if (this.role === 'active') {
      this.logger.warn('relay lock lost (its database session ended): standing by');
      this.role = 'standby';
      this.kafka = 'unknown';
      await this.publisher.disconnect();
    }
    if (!(await this.lock.tryAcquire())) {
      this.role = 'standby';
      return false;
    }
    this.current.position = await this.checkpoint.load();
    this.highestPublished = this.current.position;
    this.role = 'active';
    this.logger.log(`relay active from position ${this.current.position}`);
    return true;
  }

  private async drain(): Promise<void> {
    try {
      await this.connectKafka();
      for (;;) {
        const events = await this.store.readAll(this.current.position, BATCH_SIZE);
        if (events.length > 0) await this.relay(events);
        if (events.length < BATCH_SIZE || this.stopped) return;
      }
    } finally {
      // Also after a failure, for health to show the backlog; the cycle's own error is the one to report.
      await this.measureLag().catch(() => undefined);
    }
  }

  private async connectKafka(): Promise<void> {
    const createdTopics = await this.onKafka(() => this.publisher.connect());
    if (createdTopics && this.current.position > 0) {
      // Whatever the checkpoint says was published is not in this cluster (new, or its data lost).
      this.logger.warn(`Kafka had to create the relay's topics: publishing the log again from the start`);
      await this.checkpoint.reset();
      this.current.position = 0;
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
    const last = (events[events.length - 1] as StoredEvent).position;
    await this.checkpoint.save(last);
    this.current.position = last;
    this.highestPublished = Math.max(this.highestPublished, ...events.map((event) => event.position));

    relayMetrics.published.inc({ topic: EVENTS_TOPIC }, batch.events.length);
    relayMetrics.published.inc({ topic: STATE_TOPIC }, batch.states.length);
    for (const event of subjectEvents) {
      relayMetrics.latency.observe(Math.max(0, acknowledgedAt - Date.parse(event.recordedAt)) / 1000);
    }
    this.current.published += subjectEvents.length;
    if (subjectEvents.length > 0) this.current.lastPublishedAt = new Date(acknowledgedAt).toISOString();
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
    const [row]: { head: string | null }[] = await this.dataSource.query('SELECT max(global_position) AS head FROM events');
    this.current.lag = Math.max(0, Number(row?.head ?? 0) - this.highestPublished);
    relayMetrics.lag.set(this.current.lag);
  }

  private recheckSoon(): void {
    this.recheck ??= setTimeout(() => {
      this.recheck = undefined;
      this.wake();
    }, HELD_BACK_RECHECK_MS);
  }

  private backOff(error: unknown): void {
    if (this.stopped) return;
    this.failures += 1;
    this.current.lastError = error instanceof Error ? error.message : String(error);
    // Once per outage at warn level: a broker down for minutes retries hundreds of times.
    if (this.failures === 1) this.logger.warn(`relay failed, retrying with backoff: ${this.current.lastError}`);
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (this.failures - 1));
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.wake();
    }, delay);
  }
}
