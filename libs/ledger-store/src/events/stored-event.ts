import { PersonalProof } from '../crypto/personal-data-cipher';

export interface EventToAppend {
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  /** Non-personal context (source, collection method, actor): hashed and published. */
  metadata: Record<string, unknown>;
  occurredAt: string;
  /** Default CURRENT_SCHEMA_VERSION (event-codec.ts). */
  schemaVersion?: number;
  /** Encrypted under the stream's data key; only its salted digest is hashed. */
  personal?: PersonalProof;
  /** W3C traceparent of the request that appends it: operational, neither hashed nor published in the value. */
  traceParent?: string;
}

/** Personal proof fields as read back: the fields, or 'erased' once the stream's key is destroyed. */
export type PersonalProofView = PersonalProof | 'erased' | null;

export interface StoredEvent {
  position: number;
  eventId: string;
  streamId: string;
  streamVersion: number;
  type: string;
  /** Read it through event-codec.ts (decodeSubjectEvent, decodePurposeEvent), the one upcasting point. */
  data: Record<string, unknown>;
  schemaVersion: number;
  metadata: Record<string, unknown>;
  occurredAt: string;
  recordedAt: string;
  personalDigest: string | null;
  prevHash: string;
  hash: string;
  /** Set when the appending request was traced; the relay links its Kafka publish to it. */
  traceParent?: string;
}

export interface StoredEventWithPersonal extends StoredEvent {
  personal: PersonalProofView;
}
