import { ConsentStatus, subjectStreamId } from '@consent-ledger/domain';
import type { Pool } from 'pg';
import { isoInstant } from './sql-instant';

/** One (subject, purpose) as the projection holds it, with the subject's erasure; instants as ISO 8601 text. */
export interface StateRow {
  /** null: no decision recorded for the pair. */
  status: ConsentStatus | null;
  purpose_version: number | null;
  since: string | null;
  expires_at: string | null;
  stream_version: number | null;
  erased_at: string | null;
}

interface Waiting {
  subjectId: string;
  purposeId: string;
  resolve(row: StateRow): void;
  reject(error: unknown): void;
}

/**
 * Queries in flight at once. A lookup arriving while they are all out waits for the next batch,
 * so under load many checks share one round trip, and one plan, instead of queueing for
 * connections one query each; at low load every lookup is sent at once, alone.
 */
const MAX_IN_FLIGHT = 4;
/** A bigger batch would only hold back its first caller. */
const MAX_BATCH = 1_000;

const LOOKUP = {
  // Named, so each pooled connection plans it once (planning cost more than running it).
  name: 'consent-ledger.state-lookup',
  text: `SELECT q.i, cs.status, cs.purpose_version, ${isoInstant('cs.since')} AS since, ${isoInstant('cs.expires_at')} AS expires_at,
      cs.stream_version, ${isoInstant('st.erased_at')} AS erased_at
    FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS q(subject_id, purpose_id, stream_id, i)
    LEFT JOIN consent_state cs ON cs.subject_id = q.subject_id AND cs.purpose_id = q.purpose_id
    LEFT JOIN streams st ON st.stream_id = q.stream_id AND st.erased_at IS NOT NULL`,
};

/**
 * The single check's read of the projection, with concurrent checks coalesced into one query.
 * A lookup is only ever added to a query not yet sent, so its answer is read after the check
 * arrived: a check right after a 201 still sees that write.
 */
export class StateLookup {
  private waiting: Waiting[] = [];
  private inFlight = 0;

  constructor(private readonly pool: () => Pool) {}

  find(subjectId: string, purposeId: string): Promise<StateRow> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ subjectId, purposeId, resolve, reject });
      if (this.inFlight < MAX_IN_FLIGHT) this.send();
    });
  }

  private send(): void {
    const batch = this.waiting.length <= MAX_BATCH ? this.waiting : this.waiting.slice(0, MAX_BATCH);
    this.waiting = this.waiting.length <= MAX_BATCH ? [] : this.waiting.slice(MAX_BATCH);
    this.inFlight++;
    this.pool()
      .query<StateRow & { i: string }>({
        ...LOOKUP,
        values: [batch.map((w) => w.subjectId), batch.map((w) => w.purposeId), batch.map((w) => subjectStreamId(w.subjectId))],
      })
      .then(
        ({ rows }) => {
          for (const row of rows) batch[Number(row.i) - 1].resolve(row);
        },
        (error: unknown) => {
          for (const waiting of batch) waiting.reject(error);
        },
      )
      .finally(() => {
        this.inFlight--;
        if (this.waiting.length > 0) this.send();
      });
  }
}
