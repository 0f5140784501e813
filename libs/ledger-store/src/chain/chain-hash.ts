import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { StoredEvent } from '../events/stored-event';

/** prev_hash of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * What an event's hash covers. Personal proof fields are represented only by their salted
 * digest, so encrypting them at rest and shredding them never breaks the chain.
 */
export interface HashedEventBody {
  eventId: string;
  streamId: string;
  streamVersion: number;
  type: string;
  data: unknown;
  metadata: unknown;
  occurredAt: string;
  recordedAt: string;
  personalDigest: string | null;
}

/** SHA-256 over the previous hash of the stream and the RFC 8785 canonical JSON of the event. */
export function chainHash(prevHash: string, body: HashedEventBody): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalize(body) as string).digest('hex');
}

/** What a stored event's hash must be, from its own fields: how verify and auditors recompute it. */
export function storedEventHash(event: StoredEvent): string {
  return chainHash(event.prevHash, {
    eventId: event.eventId, streamId: event.streamId, streamVersion: event.streamVersion, type: event.type,
    data: event.data, metadata: event.metadata, occurredAt: event.occurredAt, recordedAt: event.recordedAt,
    personalDigest: event.personalDigest,
  });
}
