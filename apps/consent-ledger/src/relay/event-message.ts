import { StoredEvent } from '@consent-ledger/ledger-store';
import { Message } from 'kafkajs';
import { publishedView } from '../ledger/event-views';

/** Bumped only with an incompatible change to the value; consumers branch on it. */
const SCHEMA_VERSION = '1';

/** One ledger event on consent.events.v1, keyed by subject so that a subject's events stay in order. */
export function eventMessage(event: StoredEvent): Message {
  const view = publishedView(event);
  return {
    key: view.subjectId,
    value: JSON.stringify(view),
    headers: {
      'event-type': event.type, 'event-id': event.eventId, 'schema-version': SCHEMA_VERSION,
      // The appending request's trace context (W3C), so a subscriber's span can link to the write.
      ...(event.traceParent ? { traceparent: event.traceParent } : {}),
    },
  };
}
