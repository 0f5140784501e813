import { PairState } from '@consent-ledger/ledger-store';

export interface Pair {
  subjectId: string;
  purposeId: string;
}

interface Waiting extends Pair {
  resolve(state: PairState): void;
  reject(error: unknown): void;
}

/** Queries in flight at once; lookups arriving while they are all out wait for the next one. */
const MAX_IN_FLIGHT = 4;
/** A bigger batch would only hold back its first caller. */
const MAX_BATCH = 1_000;

/**
 * The single check's read of the projection (ConsentStateGateway.pairs), with concurrent checks
 * coalesced into one query. Lookups are sent once the event loop has handled the I/O that was ready
 * with theirs (setImmediate), so the checks parsed from one round of socket reads share one round
 * trip and one plan: at about 3,000 checks/s that makes 20 lookups per query instead of 6.5 when
 * each was sent as soon as fewer than 4 queries were out, and halves Postgres's CPU per check (60 to
 * 30 µs). When a query comes back, the lookups that waited for it are sent at once. A lookup is only
 * ever added to a query not yet sent, so its answer is read after the check arrived: a check right
 * after a 201 still sees that write.
 */
export class StateLookup {
  private waiting: Waiting[] = [];
  private inFlight = 0;
  private flushScheduled = false;

  /** `read` answers the pairs in the order asked. */
  constructor(private readonly read: (pairs: Pair[]) => Promise<PairState[]>) {}

  find(subjectId: string, purposeId: string): Promise<PairState> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ subjectId, purposeId, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(this.flush);
      }
    });
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    while (this.waiting.length > 0 && this.inFlight < MAX_IN_FLIGHT) this.send();
  };

  private send(): void {
    const batch = this.waiting.length <= MAX_BATCH ? this.waiting : this.waiting.slice(0, MAX_BATCH);
    this.waiting = this.waiting.length <= MAX_BATCH ? [] : this.waiting.slice(MAX_BATCH);
    this.inFlight++;
    this.read(batch.map(({ subjectId, purposeId }) => ({ subjectId, purposeId })))
      .then(
        (answers) => batch.forEach((waiting, i) => waiting.resolve(answers[i])),
        (error: unknown) => batch.forEach((waiting) => waiting.reject(error)),
      )
      .finally(() => {
        this.inFlight--;
        if (this.waiting.length > 0) this.send();
      });
  }
}
