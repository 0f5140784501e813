import { randomUUID } from 'node:crypto';
import { PersonalDataCipher } from '../crypto/personal-data-cipher';
import { chainEvents } from './chained-events';
import { EventRow, EVENT_COLUMNS, toStoredEvent } from './event-row';
import { SqlSession } from './sql-session';
import { EventToAppend, StoredEvent } from './stored-event';

export interface StreamHead {
  streamId: string;
  version: number;
  headHash: string | null;
}

/**
 * A stream locked for writing inside one transaction: its head cannot move until commit, so
 * reading, deciding and appending see one consistent version. (Subject streams are written by group
 * commit instead: SubjectStreams.)
 */
export class StreamSession {
  constructor(
    readonly head: StreamHead,
    readonly query: SqlSession,
    private wrappedDataKey: Buffer | null,
    private readonly cipher: PersonalDataCipher,
  ) {}

  /** The stream's own events, read inside the transaction that holds its lock. */
  async events(): Promise<StoredEvent[]> {
    const rows = await this.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.stream_id = $1 ORDER BY e.stream_version`,
      [this.head.streamId],
    );
    return rows.map(toStoredEvent);
  }

  /** Appends `events` after the head, chaining their hashes, and moves the head, in one statement. */
  async append(events: readonly EventToAppend[]): Promise<StoredEvent[]> {
    if (events.length === 0) return [];
    const recordedAt = new Date().toISOString();
    const createsKey = this.wrappedDataKey === null && events.some((e) => e.personal !== undefined);
    if (createsKey) this.wrappedDataKey = this.cipher.newWrappedDataKey();
    const chained = chainEvents(this.head, events, recordedAt, { cipher: this.cipher, wrappedDataKey: this.wrappedDataKey });
    const rows = await this.query<EventRow>(
      `WITH appended AS (
         INSERT INTO events AS e (event_id, stream_id, stream_version, type, data, metadata, occurred_at, recorded_at,
           personal_digest, personal_data, prev_hash, hash, schema_version, trace_parent)
         SELECT id, $2, v, t, d, m, o, $3, dg, p, ph, h, sv, tp
         FROM unnest($1::uuid[], $4::int[], $5::text[], $6::jsonb[], $7::jsonb[], $8::timestamptz[], $9::text[],
                     $10::bytea[], $11::text[], $12::text[], $13::smallint[], $14::text[]) AS x(id, v, t, d, m, o, dg, p, ph, h, sv, tp)
         RETURNING ${EVENT_COLUMNS}
       ), head AS (
         UPDATE streams SET version = $15, head_hash = $16, data_key = COALESCE(data_key, $17::bytea) WHERE stream_id = $2
       )
       SELECT * FROM appended`,
      [chained.events.map((e) => e.eventId), this.head.streamId, recordedAt, chained.events.map((e) => e.streamVersion),
        chained.events.map((e) => e.type), chained.events.map((e) => JSON.stringify(e.data)),
        chained.events.map((e) => JSON.stringify(e.metadata)), chained.events.map((e) => e.occurredAt),
        chained.events.map((e) => e.personalDigest), chained.events.map((e) => e.personalData),
        chained.events.map((e) => e.prevHash), chained.events.map((e) => e.hash), chained.events.map((e) => e.schemaVersion),
        chained.events.map((e) => e.traceParent), chained.version, chained.headHash, createsKey ? this.wrappedDataKey : null],
    );
    this.head.version = chained.version;
    this.head.headHash = chained.headHash;
    return rows.map(toStoredEvent).sort((a, b) => a.streamVersion - b.streamVersion);
  }
}

export const newEventId = (): string => randomUUID();
