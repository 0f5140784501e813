import { isDenyingEvent } from '@consent-ledger/domain';
import { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { ChangeNotifier } from './change-notifier';
import { ConsentCache } from './consent-cache';
import { ConsentChange, ConsentChangeListener } from './consent-change';
import { ConsentClientOptions, ConsentClientSettings, resolveClientOptions } from './consent-client-options';
import { EnforcementAcknowledger } from './enforcement-acknowledger';
import { checkOverHttp } from './http-check';
import { kafkaLogBridge } from './kafka-log-bridge';
import { LedgerEvent, parseLedgerEvent, parseStateRecord, StateRecord } from './ledger-records';
import { MessageAuthenticator } from './message-authenticator';
import { StateCatchUp } from './state-catch-up';

export interface CheckOptions {
  /** A consistency token (a 201's consentToken or Consent-Token header): answer from state at least that fresh. */
  minPosition?: number | string;
}

/**
 * Answers "may I process this subject's data for this purpose?" from memory. It reads consent.state.v1
 * from the beginning to build the cache, then keeps following it and consent.events.v1, where a
 * withdrawal, refusal, objection, expiry or erasure takes effect before the state topic catches up.
 */
export class ConsentClient {
  /** Resolves once the state topic has been read up to its end as of start(); rejects if start fails or stop() comes first. */
  readonly ready: Promise<void>;
  private readonly settings: ConsentClientSettings;
  private readonly cache = new ConsentCache();
  private readonly notifier: ChangeNotifier;
  private readonly kafka: Kafka;
  private readonly consumer: Consumer;
  private readonly acknowledger: EnforcementAcknowledger | null;
  /** Denying events whose listeners are still running, so stop() acknowledges them before it stops acknowledging. */
  private readonly awaitingListeners = new Set<Promise<void>>();
  /**
   * onChange calls still running, by subject. The denial an event carries may have reached the cache (and the
   * listeners) from the state topic first; its acknowledgement waits for those calls too.
   */
  private readonly listening = new Map<string, Set<Promise<boolean>>>();
  private readonly authenticator: MessageAuthenticator;
  /** True while the cache is complete and followed: from ready until stop() or a consumer crash kafkajs gives up on. */
  private live = false;
  private launching: Promise<void> | null = null;
  private stopping: Promise<void> | null = null;
  private resolveReady: () => void = () => undefined;
  private rejectReady: (error: Error) => void = () => undefined;

  constructor(options: ConsentClientOptions) {
    this.settings = resolveClientOptions(options);
    this.notifier = new ChangeNotifier(this.settings.logger);
    this.authenticator = new MessageAuthenticator(this.settings.verifierKey);
    this.kafka = new Kafka({ ...this.settings.kafka, logCreator: kafkaLogBridge(this.settings.logger) });
    this.consumer = this.kafka.consumer(this.settings.consumer);
    this.acknowledger = this.settings.enforcement === null ? null : new EnforcementAcknowledger(this.settings.enforcement);
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) return;
      // No longer followed, the cache could go on saying yes after a withdrawal.
      this.live = false;
      this.settings.logger.error({ err: payload.error }, 'consent-client: Kafka consumer stopped for good; isAllowed answers false');
      this.rejectReady(payload.error);
    });
    this.ready = new Promise<void>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    // A caller that only uses check() may never await ready; its rejection must not crash the process.
    this.ready.catch(() => undefined);
  }

  /** Connects and starts reading; returns `ready`. Calling it again returns the same promise. */
  start(): Promise<void> {
    if (this.stopping !== null) return Promise.reject(new Error('ConsentClient was stopped; create a new one'));
    this.launching ??= this.launch();
    return this.ready;
  }

  get isReady(): boolean {
    return this.live;
  }

  /** rejectedMessages: messages dropped because their ledger-signature was missing or wrong (with verifierKey). */
  get metrics(): { rejectedMessages: number } {
    return { rejectedMessages: this.authenticator.rejected };
  }

  /** Decisions held in memory. */
  get size(): number {
    return this.cache.size;
  }

  /**
   * The decision from memory, synchronously. False when the cache holds nothing for the pair, and false
   * whenever the cache is not live (before ready, after stop): unsure means no, as consent requires.
   * A decision whose expiresAt has passed is false even before its ConsentExpired event arrives.
   */
  isAllowed(subjectId: string, purpose: string): boolean {
    return this.live && this.cache.isAllowed(subjectId, purpose);
  }

  /**
   * The decision from memory when the cache is live and its answer is the ledger's; otherwise from
   * GET /v1/check (rejects with ConsentCheckError when that fails). A pair the cache does not hold is
   * answered from memory only for a consent purpose, where no record means no consent.
   * With `minPosition` (a 201's consentToken), memory answers only when it holds this pair's decision
   * from that position on; otherwise the ledger is asked with the token, and answers from state at least
   * that fresh (see docs/consistency.md).
   */
  async check(subjectId: string, purpose: string, options: CheckOptions = {}): Promise<boolean> {
    const minPosition = options.minPosition === undefined ? undefined : Number(options.minPosition);
    if (
      this.live &&
      this.cache.isAuthoritative(subjectId, purpose) &&
      (minPosition === undefined || this.cache.hasSeen(subjectId, purpose, minPosition))
    ) {
      return this.cache.isAllowed(subjectId, purpose);
    }
    return checkOverHttp(this.settings.http, subjectId, purpose, options.minPosition);
  }

  /**
   * Calls the listener for every decision that changes after ready (the bootstrap itself reports none),
   * without holding back the consumer; stop() waits for the calls in flight. Returns the unsubscribe function.
   */
  onChange(listener: ConsentChangeListener): () => void {
    return this.notifier.add(listener);
  }

  /** Disconnects from Kafka and waits for onChange listeners in flight. The client cannot be restarted. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async launch(): Promise<void> {
    const startedAt = Date.now();
    const { topics } = this.settings;
    try {
      const [stateOffsets, eventOffsets] = await this.fetchTopicOffsets();
      if (this.stopping !== null) return;
      const catchUp = new StateCatchUp(stateOffsets);
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: [topics.state], fromBeginning: true });
      await this.consumer.subscribe({ topics: [topics.events], fromBeginning: false });
      // Offsets are resolved by eachBatch itself: one cut short by a rebalance must not count as read.
      await this.consumer.run({ eachBatchAutoResolve: false, eachBatch: (payload) => this.eachBatch(payload, catchUp, startedAt) });
      // Offsets are committed only so that a rejoin within this process (after a rebalance or a consumer
      // restart) resumes where it was instead of replaying the state over a live cache. Each start reads
      // the state from its beginning, and the events from the marks taken with the state's: their history
      // is already in the state, and no event after that instant goes unseen.
      for (const { partition, low } of stateOffsets) this.consumer.seek({ topic: topics.state, partition, offset: low });
      for (const { partition, high } of eventOffsets) this.consumer.seek({ topic: topics.events, partition, offset: high });
      if (catchUp.done) this.becomeLive(startedAt);
    } catch (error) {
      this.settings.logger.error({ err: error }, 'consent-client: start failed');
      this.rejectReady(error as Error);
      await this.consumer.disconnect().catch(() => undefined);
    }
  }

  private async fetchTopicOffsets() {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return await Promise.all([admin.fetchTopicOffsets(this.settings.topics.state), admin.fetchTopicOffsets(this.settings.topics.events)]);
    } finally {
      await admin.disconnect();
    }
  }

  private async eachBatch(
    { batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload,
    catchUp: StateCatchUp,
    startedAt: number,
  ): Promise<void> {
    const isState = batch.topic === this.settings.topics.state;
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) return;
      if (!this.authenticator.accepts(batch.topic, message)) this.settings.logger.warn({ topic: batch.topic, partition: batch.partition, offset: message.offset }, 'consent-client: dropped an unsigned or forged record');
      else if (isState) this.applyState(message, batch.partition);
      else this.applyEvent(message, batch.partition);
      resolveOffset(message.offset);
    }
    // The batch may end past its last message (control records), and the reading resumes after it.
    const lastOffset = batch.lastOffset();
    resolveOffset(lastOffset);
    if (isState && catchUp.advance(batch.partition, BigInt(lastOffset) + 1n)) this.becomeLive(startedAt);
    await heartbeat();
  }

  private applyState(message: KafkaMessage, partition: number): void {
    const record = this.parse(() => parseStateRecord(message.key, message.value), this.settings.topics.state, partition, message);
    if (record !== undefined) void this.announce(this.cache.applyState(record));
  }

  private applyEvent(message: KafkaMessage, partition: number): void {
    const event = this.parse(() => parseLedgerEvent(message.value), this.settings.topics.events, partition, message);
    if (event === undefined) return;
    for (const change of this.cache.applyEvent(event)) void this.announce(change);
    if (this.acknowledger !== null && isDenyingEvent(event.type)) {
      const handled = Promise.all(this.listening.get(event.subjectId) ?? []);
      // Also when nothing changed (a repeat, a pair this cache never held): the denial holds here all the same.
      // A listener that failed has not enforced, so the event stays pending at the ledger, where it shows.
      const acknowledger = this.acknowledger;
      const acknowledged: Promise<void> = handled
        .then((succeeded) => {
          if (succeeded.every(Boolean)) acknowledger.acknowledge(event.eventId, new Date());
        })
        .finally(() => this.awaitingListeners.delete(acknowledged));
      this.awaitingListeners.add(acknowledged);
    }
  }

  /** A record that breaks the contract is skipped, so one bad record cannot stop every update behind it. */
  private parse<T extends StateRecord | LedgerEvent>(
    parse: () => T,
    topic: string,
    partition: number,
    message: KafkaMessage,
  ): T | undefined {
    try {
      return parse();
    } catch (error) {
      this.settings.logger.warn({ err: error, topic, partition, offset: message.offset }, 'consent-client: skipped a malformed record');
      return undefined;
    }
  }

  /** Resolves once the listeners have returned: false when one failed. */
  private announce(change: ConsentChange | null): Promise<boolean> {
    if (change === null || !this.live) return Promise.resolve(true);
    const calls = this.listening.get(change.subjectId) ?? new Set<Promise<boolean>>();
    this.listening.set(change.subjectId, calls);
    const call: Promise<boolean> = this.notifier.notify(change).finally(() => {
      calls.delete(call);
      if (calls.size === 0 && this.listening.get(change.subjectId) === calls) this.listening.delete(change.subjectId);
    });
    calls.add(call);
    return call;
  }

  private becomeLive(startedAt: number): void {
    if (this.stopping !== null) return;
    this.live = true;
    this.settings.logger.info({ entries: this.cache.size, ms: Date.now() - startedAt }, 'consent-client: cache warm');
    this.resolveReady();
  }

  private async shutdown(): Promise<void> {
    this.live = false;
    this.rejectReady(new Error('ConsentClient stopped before its cache was warm'));
    await this.launching;
    await this.consumer.disconnect();
    await this.notifier.settled();
    await Promise.all(this.awaitingListeners);
    await this.acknowledger?.stop();
  }
}
