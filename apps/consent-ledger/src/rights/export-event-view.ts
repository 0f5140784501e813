import { StoredEventWithPersonal, decodeSubjectEvent } from '@consent-ledger/ledger-store';
import { HistoryEvent, historyView } from '../ledger/event-views';

/** An event as exported: the history entry (proof fields decrypted or "[erased]"), plus who recorded it and why. */
export type ExportedEvent = HistoryEvent & { actor: string | null; reason?: string };

export function exportedEvent(event: StoredEventWithPersonal): ExportedEvent {
  const data = decodeSubjectEvent(event);
  return {
    ...historyView(event),
    actor: typeof event.metadata.actor === 'string' ? event.metadata.actor : null,
    ...(data.type === 'SubjectErased' && data.reason !== undefined ? { reason: data.reason } : {}),
  };
}
