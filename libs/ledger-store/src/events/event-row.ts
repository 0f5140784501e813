import { StoredEvent } from './stored-event';

/** Column list shared by every query that reads events, so rows always map the same way. */
export const EVENT_COLUMNS = `e.global_position, e.event_id, e.stream_id, e.stream_version, e.type, e.data, e.schema_version, e.metadata,
  e.occurred_at, e.recorded_at, e.personal_digest, e.prev_hash, e.hash, e.trace_parent`;

export interface EventRow {
  global_position: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  data: Record<string, unknown>;
  schema_version: number;
  metadata: Record<string, unknown>;
  occurred_at: Date;
  recorded_at: Date;
  personal_digest: string | null;
  prev_hash: string;
  hash: string;
  trace_parent: string | null;
}

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    position: Number(row.global_position),
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    type: row.type,
    data: row.data,
    schemaVersion: row.schema_version,
    metadata: row.metadata,
    occurredAt: row.occurred_at.toISOString(),
    recordedAt: row.recorded_at.toISOString(),
    personalDigest: row.personal_digest,
    prevHash: row.prev_hash,
    hash: row.hash,
    ...(row.trace_parent ? { traceParent: row.trace_parent } : {}),
  };
}
