import { ConsentStatus } from './consent-status';

/** A (subject, purpose) decision that changed while the client was following the topics. */
export interface ConsentChange {
  subjectId: string;
  purpose: string;
  allowed: boolean;
  status: ConsentStatus;
  /**
   * The consent.events.v1 event that caused the change; absent when the change came from
   * consent.state.v1 (a grant, a lifted objection, a tombstone), whose records carry no event id.
   */
  eventId?: string;
}

export type ConsentChangeListener = (change: ConsentChange) => void | Promise<void>;
