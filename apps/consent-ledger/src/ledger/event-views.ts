import { StoredEvent, StoredEventWithPersonal, decodeSubjectEvent, isSubjectEventType } from '@consent-ledger/ledger-store';

const ERASED = '[erased]';

/** What consumers receive (Kafka value, global feed): never a personal proof field. */
export interface PublishedEvent {
  eventId: string;
  type: string;
  subjectId: string;
  purpose: string | null;
  purposeVersion: number | null;
  occurredAt: string;
  recordedAt: string;
  position: number;
  streamVersion: number;
  source: unknown;
  hash: string;
  expiresAt?: string | null;
}

/** What auditors read: the published fields plus proof and the chain links. */
export interface HistoryEvent extends PublishedEvent {
  proof: Record<string, unknown>;
  prevHash: string;
}

export const isSubjectEvent = (event: StoredEvent): boolean => isSubjectEventType(event.type);

export function publishedView(event: StoredEvent): PublishedEvent {
  const data = decodeSubjectEvent(event);
  return {
    eventId: event.eventId,
    type: event.type,
    subjectId: data.subjectId,
    purpose: 'purpose' in data ? data.purpose : null,
    purposeVersion: 'purposeVersion' in data ? data.purposeVersion : null,
    occurredAt: event.occurredAt,
    recordedAt: event.recordedAt,
    position: event.position,
    streamVersion: event.streamVersion,
    source: event.metadata.source ?? null,
    hash: event.hash,
    ...('expiresAt' in data ? { expiresAt: data.expiresAt } : {}),
  };
}

export function historyView(event: StoredEventWithPersonal): HistoryEvent {
  const proof: Record<string, unknown> = { ...((event.metadata.proof as Record<string, unknown> | undefined) ?? {}) };
  if (event.personal === 'erased') Object.assign(proof, { ip: ERASED, userAgent: ERASED, evidence: ERASED });
  else if (event.personal) Object.assign(proof, event.personal);
  return { ...publishedView(event), proof, prevHash: event.prevHash };
}
