import { randomUUID } from 'node:crypto';
import { GENESIS_HASH, chainHash } from '../chain/chain-hash';
import { PersonalDataCipher } from '../crypto/personal-data-cipher';
import { EventRow, EVENT_COLUMNS, toStoredEvent } from './event-row';
import { SqlSession } from './sql-session';
import { AppendCompanion } from './append-companion';
import { CURRENT_SCHEMA_VERSION } from './event-codec';
import { EventToAppend, StoredEvent } from './stored-event';

export interface StreamHead {
  streamId: string;
  version: number;
  headHash: string | null;
}

/**
 * A stream locked for writing inside one transaction: its head cannot move until commit, so
 * reading, deciding and appending see one consistent version.
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

  /**
   * Appends `events` after the head, chaining their hashes, and moves the head, in one statement.
   * `companion` may add a write of its own to that statement (see AppendCompanion). `erasedAt`
   * records on the head when the subject was erased (a head is one row, so it moves in the head's
   * own update).
   */
  async append(
    events: readonly EventToAppend[],
    companion?: AppendCompanion,
    erasedAt: string | null = null,
  ): Promise<StoredEvent[]> {
    if (events.length === 0) return [];
    const recordedAt = new Date().toISOString();
    const createsKey = this.wrappedDataKey === null && events.some((e) => e.personal !== undefined);
    if (createsKey) this.wrappedDataKey = this.cipher.newWrappedDataKey();

    let prevHash = this.head.headHash ?? GENESIS_HASH;
    const columns = { ids: [] as string[], versions: [] as number[], types: [] as string[], data: [] as string[], schemas: [] as number[],
      metadata: [] as string[], occurred: [] as string[], digests: [] as (string | null)[],
      personal: [] as (Buffer | null)[], prev: [] as string[], hashes: [] as string[], traces: [] as (string | null)[] };
    events.forEach((event, i) => {
      const streamVersion = this.head.version + i + 1;
      const sealed = event.personal && this.wrappedDataKey ? this.cipher.seal(event.personal, this.wrappedDataKey) : null;
      const hash = chainHash(prevHash, {
        eventId: event.eventId, streamId: this.head.streamId, streamVersion, type: event.type, data: event.data,
        metadata: event.metadata, occurredAt: event.occurredAt, recordedAt, personalDigest: sealed?.digest ?? null,
      });
      columns.ids.push(event.eventId);
      columns.versions.push(streamVersion);
      columns.types.push(event.type);
      columns.data.push(JSON.stringify(event.data));
      columns.schemas.push(event.schemaVersion ?? CURRENT_SCHEMA_VERSION);
      columns.metadata.push(JSON.stringify(event.metadata));
      columns.occurred.push(event.occurredAt);
      columns.digests.push(sealed?.digest ?? null);
      columns.personal.push(sealed?.ciphertext ?? null);
      columns.prev.push(prevHash);
      columns.hashes.push(hash);
      columns.traces.push(event.traceParent ?? null);
      prevHash = hash;
    });
    const version = this.head.version + events.length;

    const params: unknown[] = [columns.ids, this.head.streamId, recordedAt, columns.versions, columns.types, columns.data,
      columns.metadata, columns.occurred, columns.digests, columns.personal, columns.prev, columns.hashes,
      version, prevHash, createsKey ? this.wrappedDataKey : null, erasedAt, columns.schemas, columns.traces];
    const companionCte = companion ? `, companion AS (${companion.sql(params.length + 1)})` : '';
    if (companion) params.push(...companion.params);
    // One statement, so one round trip: the events, the head that now points at the last of them,
    // and the companion's write. Every part sees the same snapshot and commits or fails together.
    const rows = await this.query<EventRow>(
      `WITH appended AS (
         INSERT INTO events AS e (event_id, stream_id, stream_version, type, data, metadata, occurred_at, recorded_at,
           personal_digest, personal_data, prev_hash, hash, schema_version, trace_parent)
         SELECT id, $2, v, t, d, m, o, $3, dg, p, ph, h, sv, tp
         FROM unnest($1::uuid[], $4::int[], $5::text[], $6::jsonb[], $7::jsonb[], $8::timestamptz[], $9::text[],
                     $10::bytea[], $11::text[], $12::text[], $17::smallint[], $18::text[]) AS x(id, v, t, d, m, o, dg, p, ph, h, sv, tp)
         RETURNING ${EVENT_COLUMNS}
       ), head AS (
         UPDATE streams SET version = $13, head_hash = $14, data_key = COALESCE(data_key, $15::bytea),
           erased_at = COALESCE(erased_at, $16::timestamptz) WHERE stream_id = $2
       )${companionCte}
       SELECT * FROM appended`,
      params,
    );
    this.head.version = version;
    this.head.headHash = prevHash;
    return rows.map(toStoredEvent).sort((a, b) => a.streamVersion - b.streamVersion);
  }
}

export const newEventId = (): string => randomUUID();
