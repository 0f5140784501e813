import canonicalize from 'canonicalize';
import { sha256, toHex, utf8 } from './bytes';

/** prev_hash of a stream's first event (libs/ledger-store/src/chain/chain-hash.ts). */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields an event's hash covers, exactly as the ledger hashes them. */
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

/** SHA-256 over the previous hash (hex), a newline, and the RFC 8785 canonical JSON of the body. */
export async function eventHash(subtle: SubtleCrypto, prevHash: string, body: HashedEventBody): Promise<string> {
  const canonical: HashedEventBody = {
    eventId: body.eventId, streamId: body.streamId, streamVersion: body.streamVersion, type: body.type,
    data: body.data, metadata: body.metadata, occurredAt: body.occurredAt, recordedAt: body.recordedAt,
    personalDigest: body.personalDigest,
  };
  return toHex(await sha256(subtle, utf8(`${prevHash}\n${canonicalize(canonical) as string}`)));
}
