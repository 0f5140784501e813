import { DataSource } from 'typeorm';
import { EventRow, EVENT_COLUMNS, toStoredEvent } from '../events/event-row';
import { GENESIS_HASH, chainHash } from './chain-hash';

export interface ChainBreak {
  eventId: string;
  streamId: string;
  streamVersion: number;
  position: number;
  reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'version_gap';
}

export interface VerificationReport {
  valid: boolean;
  events: number;
  streams: number;
  firstInvalid?: ChainBreak;
}

const PAGE = 5000;

/** Recomputes every hash, stream by stream, paging by (stream_id, stream_version). */
export class ChainVerifier {
  constructor(private readonly dataSource: DataSource) {}

  async verifyAll(): Promise<VerificationReport> {
    let events = 0;
    let streams = 0;
    let cursor: { streamId: string; version: number } = { streamId: '', version: 0 };
    let expectedPrev = GENESIS_HASH;
    let expectedVersion = 1;
    for (;;) {
      const rows: EventRow[] = await this.dataSource.query(
        `SELECT ${EVENT_COLUMNS} FROM events e
         WHERE (e.stream_id, e.stream_version) > ($1, $2)
         ORDER BY e.stream_id, e.stream_version LIMIT $3`,
        [cursor.streamId, cursor.version, PAGE],
      );
      for (const row of rows) {
        const event = toStoredEvent(row);
        if (event.streamId !== cursor.streamId) {
          streams += 1;
          expectedPrev = GENESIS_HASH;
          expectedVersion = 1;
        }
        events += 1;
        const breakReason = checkEvent(event, expectedPrev, expectedVersion);
        if (breakReason) {
          return {
            valid: false, events, streams,
            firstInvalid: { eventId: event.eventId, streamId: event.streamId, streamVersion: event.streamVersion, position: event.position, reason: breakReason },
          };
        }
        expectedPrev = event.hash;
        expectedVersion = event.streamVersion + 1;
        cursor = { streamId: event.streamId, version: event.streamVersion };
      }
      if (rows.length < PAGE) return { valid: true, events, streams };
    }
  }
}

function checkEvent(event: ReturnType<typeof toStoredEvent>, expectedPrev: string, expectedVersion: number): ChainBreak['reason'] | null {
  if (event.streamVersion !== expectedVersion) return 'version_gap';
  if (event.prevHash !== expectedPrev) return 'prev_hash_mismatch';
  const recomputed = chainHash(event.prevHash, {
    eventId: event.eventId, streamId: event.streamId, streamVersion: event.streamVersion, type: event.type,
    data: event.data, metadata: event.metadata, occurredAt: event.occurredAt, recordedAt: event.recordedAt,
    personalDigest: event.personalDigest,
  });
  return recomputed === event.hash ? null : 'hash_mismatch';
}
