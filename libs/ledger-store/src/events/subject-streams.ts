import { Purpose, SubjectDecisionState, SubjectEvent, SubjectState, evolveSubject, subjectStreamId } from '@consent-ledger/domain';
import { PersonalProof } from '../crypto/personal-data-cipher';
import { ConsentStateGateway, SubjectWithHead } from '../projection/consent-state-gateway';
import { PurposeReadModel } from '../purposes/purpose-read-model';
import { chainEvents, storedEventOf } from './chained-events';
import { ConcurrencyError } from './concurrency-error';
import { encodeEvent } from './event-codec';
import { EventStore } from './event-store';
import { IdempotencyKeyTaken } from '../idempotency/idempotency-key-taken';
import { idempotencyKeyDigest } from '../idempotency/idempotency-store';
import { CoalescingQueue } from './coalescing-queue';
import { newEventId } from './stream-session';
import { StoredEvent } from './stored-event';

export interface SubjectHandleOptions {
  /** Optimistic concurrency (If-Match); without it a write that lost a race is decided again. */
  expectedVersion?: number;
  /** The purposes the decision depends on: read as committed with the subject, checked unchanged at the append. */
  purposeIds: Iterable<string>;
  /** Non-personal context kept with every event: hashed and published. */
  metadata: Record<string, unknown>;
  personal?: PersonalProof;
  /** W3C traceparent of the request that writes: stored beside the events, never hashed or published as data. */
  traceParent?: string;
  /**
   * Saves the response under an Idempotency-Key with the append, atomically: `response` builds it from
   * the appended events, and the saved copy gets each `events[i].position` set by the append. When a
   * concurrent request with the same key committed first, nothing is written: IdempotencyKeyTaken.
   */
  idempotency?: {
    scope: string;
    key: string;
    requestHash: string;
    response: (appended: StoredEvent[], streamVersion: number) => { events: unknown[] };
  };
}

export interface SubjectHandleResult {
  appended: StoredEvent[];
  streamVersion: number;
  /** The subject's state after the append, as the domain's fold computes it. */
  state: SubjectState;
}

/** A write that keeps losing races gives up after this many decisions (each lost race means another write won). */
const MAX_ATTEMPTS = 100;

/**
 * The write path of subject streams, shaped as emmett's `handle`: read the state, decide in
 * TypeScript, append with the expected version. The state is the domain's fold (evolveSubject) kept as
 * an explicit snapshot in consent_state, read with the stream head and the named purposes without a
 * lock (concurrent writes share that read); the records that changed are written by the append itself. The append goes
 * by group commit (EventStore.appendToSubject): concurrent writes share one round trip and one
 * commit, and a write whose stream or purposes moved meanwhile is decided again on the new state, alone.
 */
export class SubjectStreams {
  /** The reads of concurrent writes, coalesced: one statement for their subjects, one for their purposes. */
  private readonly reads = new CoalescingQueue<{ subjectId: string; purposeIds: string[] }, SubjectWithHead & { purposes: Map<string, Purpose> }>({
    maxInFlight: 4,
    maxBatch: 64,
    send: async (batch) => {
      const [subjects, purposes] = await Promise.all([
        this.gateway.subjectsWithHeads(batch.map((read) => read.subjectId)),
        this.purposes.named([...new Set(batch.flatMap((read) => read.purposeIds))]),
      ]);
      return subjects.map((subject, i) => ({
        ...subject,
        purposes: new Map(batch[i].purposeIds.flatMap((id) => (purposes.has(id) ? [[id, purposes.get(id) as Purpose]] : []))),
      }));
    },
  });

  constructor(
    private readonly store: EventStore,
    private readonly gateway: ConsentStateGateway,
    private readonly purposes: PurposeReadModel,
  ) {}

  /** `decide` returns the events to append, or throws to append nothing. */
  async handle(
    subjectId: string,
    decide: (state: SubjectDecisionState) => SubjectEvent[],
    options: SubjectHandleOptions,
  ): Promise<SubjectHandleResult> {
    const streamId = subjectStreamId(subjectId);
    const purposeIds = [...new Set(options.purposeIds)];
    for (let attempt = 1; ; attempt += 1) {
      const { head, state: subject, purposes } = await this.reads.submit({ subjectId, purposeIds });
      if (options.expectedVersion !== undefined && head.version !== options.expectedVersion) {
        throw new ConcurrencyError(streamId, options.expectedVersion, head.version);
      }
      // The head is authoritative for the version; the snapshot agrees with it by construction.
      const before: SubjectState = { ...subject, version: head.version };
      const events = decide({ subject: before, purposes });
      const after = events.reduce(evolveSubject, before);
      if (events.length === 0) return { appended: [], streamVersion: head.version, state: after };

      const recordedAt = new Date().toISOString();
      const createsKey = head.dataKey === null && options.personal !== undefined;
      const dataKey = createsKey ? this.store.cipher.newWrappedDataKey() : head.dataKey;
      const chained = chainEvents(
        { streamId, version: head.version, headHash: head.headHash },
        events.map((event) => ({
          eventId: newEventId(),
          ...encodeEvent(event),
          metadata: options.metadata,
          ...(options.personal ? { personal: options.personal } : {}),
          ...(options.traceParent ? { traceParent: options.traceParent } : {}),
        })),
        recordedAt,
        { cipher: this.store.cipher, wrappedDataKey: dataKey },
      );
      const stored = (positions: readonly number[]) =>
        chained.events.map((event, i) => storedEventOf(event, streamId, recordedAt, positions[i]));
      const outcome = await this.store.appendToSubject({
        streamId,
        subjectId,
        expectedVersion: head.version,
        recordedAt,
        events: chained.events,
        headHash: chained.headHash,
        dataKey: createsKey ? dataKey : null,
        erasedAt: before.erasedAt === null ? after.erasedAt : null,
        records: ConsentStateGateway.changedRecords(before, after),
        purposes: purposeIds.map((purposeId) => purposeAsRead(purposeId, purposes.get(purposeId))),
        ...(options.idempotency
          ? {
              idempotency: {
                scope: options.idempotency.scope,
                key: idempotencyKeyDigest(options.idempotency.key),
                requestHash: options.idempotency.requestHash,
                statusCode: 201,
                // Positions are the append's to give; the store sets them in the saved copy.
                response: options.idempotency.response(stored(chained.events.map(() => 0)), chained.version),
              },
            }
          : {}),
      });
      switch (outcome.outcome) {
        case 'appended':
          return { appended: stored(outcome.positions), streamVersion: chained.version, state: after };
        case 'idempotency_taken':
          throw new IdempotencyKeyTaken();
        case 'failed':
          throw outcome.error;
        case 'conflict':
          if (attempt === MAX_ATTEMPTS) throw new ConcurrencyError(streamId, head.version, head.version + 1);
          continue;
        default: {
          const unknown: never = outcome;
          throw new Error(`unknown append outcome ${(unknown as { outcome: string }).outcome}`);
        }
      }
    }
  }
}

const purposeAsRead = (purposeId: string, purpose: Purpose | undefined) => ({
  purposeId,
  version: purpose ? purpose.versions[purpose.versions.length - 1].version : null,
  retired: purpose !== undefined && purpose.retiredAt !== null,
});
