import { PurposeEvent, SubjectEvent } from '@consent-ledger/domain';
import { EventToAppend, StoredEvent } from './stored-event';

/**
 * The schema version new events are written with. Bump it with an incompatible change to an event's
 * data, and teach `upcast` to bring the older versions up to the current shape.
 */
export const CURRENT_SCHEMA_VERSION = 1;

/** Every event the ledger writes: the domain's two unions. */
export type DomainEvent = SubjectEvent | PurposeEvent;

const SUBJECT_EVENT_TYPES: ReadonlySet<string> = new Set<SubjectEvent['type']>([
  'ConsentGranted', 'ConsentRefused', 'ConsentWithdrawn', 'ObjectionRecorded', 'ObjectionLifted', 'ConsentExpired', 'SubjectErased',
]);
const PURPOSE_EVENT_TYPES: ReadonlySet<string> = new Set<PurposeEvent['type']>(['PurposePublished', 'PurposeRetired']);

/** A stored event whose row does not hold the domain event it claims to (corruption, or a schema this code predates). */
export class EventDecodingError extends Error {
  override readonly name = 'EventDecodingError';
}

/** The columns a domain event becomes; the caller adds its id, metadata and personal proof. */
export const encodeEvent = (event: DomainEvent): Pick<EventToAppend, 'type' | 'data' | 'occurredAt' | 'schemaVersion'> => ({
  type: event.type,
  data: { ...event },
  occurredAt: event.occurredAt,
  schemaVersion: CURRENT_SCHEMA_VERSION,
});

type Decodable = Pick<StoredEvent, 'type' | 'data' | 'schemaVersion'>;

/**
 * The one upcasting point: every read of a stored event's data goes through here, so an event
 * written under an older schema version reaches the domain in today's shape. Version 1 is current.
 */
const upcast = (stored: Decodable): Record<string, unknown> => {
  if (stored.schemaVersion === CURRENT_SCHEMA_VERSION) return stored.data;
  throw new EventDecodingError(`${stored.type} has schema version ${stored.schemaVersion}; this code knows up to ${CURRENT_SCHEMA_VERSION}`);
};

const decode = <E extends DomainEvent>(stored: Decodable, types: ReadonlySet<string>): E => {
  const data = upcast(stored);
  if (!types.has(stored.type) || data.type !== stored.type) {
    throw new EventDecodingError(`a row of type ${stored.type} holds data of type ${String(data.type)}`);
  }
  return data as E;
};

export const decodeSubjectEvent = (stored: Decodable): SubjectEvent => decode<SubjectEvent>(stored, SUBJECT_EVENT_TYPES);

export const decodePurposeEvent = (stored: Decodable): PurposeEvent => decode<PurposeEvent>(stored, PURPOSE_EVENT_TYPES);

/** Whether a stored event belongs to a subject stream's union (the feed and the relay carry only those). */
export const isSubjectEventType = (type: string): boolean => SUBJECT_EVENT_TYPES.has(type);
