import { GENESIS_HASH, chainHash } from '../chain/chain-hash';
import { PersonalDataCipher } from '../crypto/personal-data-cipher';
import { CURRENT_SCHEMA_VERSION } from './event-codec';
import { EventToAppend, StoredEvent } from './stored-event';

/**
 * An event ready to be written after a stream's head: its version and hash link decided, its proof
 * sealed. What a stored event will be, less what the write gives it (position, stream, recording instant).
 */
export type ChainedEvent = Omit<StoredEvent, 'position' | 'streamId' | 'recordedAt' | 'traceParent'> & {
  personalData: Buffer | null;
  traceParent: string | null;
};

export interface ChainedAppend {
  events: ChainedEvent[];
  /** The stream's version and head hash once the events are written. */
  version: number;
  headHash: string;
}

/**
 * Chains `events` after the head (version, hash), all recorded at `recordedAt`: each event's hash covers
 * its fields and the previous hash. Personal proof fields are sealed under the stream's data key, and
 * only their salted digest is hashed. One function for every append path, so every path chains alike.
 */
export function chainEvents(
  head: { streamId: string; version: number; headHash: string | null },
  events: readonly EventToAppend[],
  recordedAt: string,
  sealing: { cipher: PersonalDataCipher; wrappedDataKey: Buffer | null },
): ChainedAppend {
  let prevHash = head.headHash ?? GENESIS_HASH;
  const chained = events.map((event, i): ChainedEvent => {
    const streamVersion = head.version + i + 1;
    const sealed = event.personal && sealing.wrappedDataKey ? sealing.cipher.seal(event.personal, sealing.wrappedDataKey) : null;
    const hash = chainHash(prevHash, {
      eventId: event.eventId, streamId: head.streamId, streamVersion, type: event.type, data: event.data,
      metadata: event.metadata, occurredAt: event.occurredAt, recordedAt, personalDigest: sealed?.digest ?? null,
    });
    const link = prevHash;
    prevHash = hash;
    return {
      eventId: event.eventId, streamVersion, type: event.type, data: event.data,
      schemaVersion: event.schemaVersion ?? CURRENT_SCHEMA_VERSION, metadata: event.metadata, occurredAt: event.occurredAt,
      personalDigest: sealed?.digest ?? null, personalData: sealed?.ciphertext ?? null, prevHash: link, hash,
      traceParent: event.traceParent ?? null,
    };
  });
  return { events: chained, version: head.version + events.length, headHash: prevHash };
}

/** A chained event as stored, once the append gave it its global position. */
export const storedEventOf = (event: ChainedEvent, streamId: string, recordedAt: string, position: number): StoredEvent => ({
  position,
  eventId: event.eventId,
  streamId,
  streamVersion: event.streamVersion,
  type: event.type,
  data: event.data,
  schemaVersion: event.schemaVersion,
  metadata: event.metadata,
  // As a read gives it back (toStoredEvent): the domain's instants are already in this form.
  occurredAt: new Date(event.occurredAt).toISOString(),
  recordedAt,
  personalDigest: event.personalDigest,
  prevHash: event.prevHash,
  hash: event.hash,
  ...(event.traceParent ? { traceParent: event.traceParent } : {}),
});
