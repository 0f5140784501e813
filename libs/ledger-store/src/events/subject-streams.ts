import { SubjectDecisionState, SubjectEvent, SubjectState, evolveSubject, subjectStreamId } from '@consent-ledger/domain';
import { PersonalProof } from '../crypto/personal-data-cipher';
import { ConsentStateGateway } from '../projection/consent-state-gateway';
import { PurposeReadModel } from '../purposes/purpose-read-model';
import { encodeEvent } from './event-codec';
import { EventStore } from './event-store';
import { ReadUnderLock } from './read-under-lock';
import { SqlSession } from './sql-session';
import { newEventId } from './stream-session';
import { StoredEvent } from './stored-event';

export interface SubjectHandleOptions {
  /** Optimistic concurrency (If-Match); without it concurrent writers of the subject are serialized. */
  expectedVersion?: number;
  /** The purposes the decision depends on: read as committed, in the subject's transaction. */
  purposeIds: Iterable<string>;
  /** Non-personal context kept with every event: hashed and published. */
  metadata: Record<string, unknown>;
  personal?: PersonalProof;
  /** W3C traceparent of the request that writes: stored beside the events, never hashed or published as data. */
  traceParent?: string;
  /** More work in the same transaction, after the append (e.g. saving the idempotent response). */
  alsoInTransaction?: (query: SqlSession, appended: StoredEvent[], streamVersion: number) => Promise<void>;
}

export interface SubjectHandleResult {
  appended: StoredEvent[];
  streamVersion: number;
  /** The subject's state after the append, as the domain's fold computes it. */
  state: SubjectState;
}

/**
 * The write path of subject streams, shaped as emmett's `handle`: load the state, decide, append
 * with the expected version. The state is the domain's fold (evolveSubject) kept as an explicit
 * snapshot in consent_state: read with the stream lock, evolved in TypeScript by the decided events,
 * and the records that changed written back in the append's own statement. So one fold decides,
 * and three round trips make a write: BEGIN + lock + state + named purposes, the append (events,
 * head, snapshot), COMMIT.
 */
export class SubjectStreams {
  constructor(
    private readonly store: EventStore,
    private readonly gateway: ConsentStateGateway,
  ) {}

  /** `decide` returns the events to append, or throws to append nothing. */
  handle(
    subjectId: string,
    decide: (state: SubjectDecisionState) => SubjectEvent[],
    options: SubjectHandleOptions,
  ): Promise<SubjectHandleResult> {
    const read = both(this.gateway.subjectUnderLock(subjectId), PurposeReadModel.underLock(options.purposeIds));
    return this.store.withStream(subjectStreamId(subjectId), options.expectedVersion, async (stream, [subject, purposes]) => {
      // The head is authoritative for the version; the snapshot agrees with it by construction.
      const before: SubjectState = { ...subject, version: stream.head.version };
      const events = decide({ subject: before, purposes });
      const after = events.reduce(evolveSubject, before);
      const appended = await stream.append(
        events.map((event) => ({
          eventId: newEventId(),
          ...encodeEvent(event),
          metadata: options.metadata,
          ...(options.personal ? { personal: options.personal } : {}),
          ...(options.traceParent ? { traceParent: options.traceParent } : {}),
        })),
        this.gateway.snapshot(before, after),
        after.erasedAt,
      );
      await options.alsoInTransaction?.(stream.query, appended, stream.head.version);
      return { appended, streamVersion: stream.head.version, state: after };
    }, read);
  }
}

/** Two reads in one message, parsed apart. */
function both<A, B>(a: ReadUnderLock<A>, b: ReadUnderLock<B>): ReadUnderLock<[A, B]> {
  const split = a.statements.length;
  return {
    statements: [...a.statements, ...b.statements],
    parse: (results) => [a.parse(results.slice(0, split)), b.parse(results.slice(split))],
  };
}
