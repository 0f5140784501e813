import { ConsentRecord, ConsentStatus } from './consent-state';
import { instantMs } from './instant';
import { PurposeChoiceEvent } from './subject-events';

/** The status a choice event gives its purpose (the SDK applies the denying ones before the state topic). */
export const statusAfter = (event: Pick<PurposeChoiceEvent, 'type'>): ConsentStatus => {
  switch (event.type) {
    case 'ConsentGranted':
      return 'granted';
    case 'ConsentRefused':
      return 'refused';
    case 'ConsentWithdrawn':
      return 'withdrawn';
    case 'ObjectionRecorded':
      return 'objected';
    case 'ObjectionLifted':
      return 'none';
    case 'ConsentExpired':
      return 'expired';
    default: {
      const unknown: never = event.type;
      throw new Error(`Unknown choice event ${String(unknown)}`);
    }
  }
};

const expiresAtOf = (event: PurposeChoiceEvent): string | null => {
  switch (event.type) {
    case 'ConsentGranted':
    case 'ConsentRefused':
      return event.expiresAt;
    case 'ConsentExpired':
      // The moment validity ran out, which is exactly when this event occurred.
      return event.occurredAt;
    default:
      return null;
  }
};

/** What one event, at `streamVersion` in its subject's stream, says about its purpose. */
export const recordOf = (event: PurposeChoiceEvent, streamVersion: number): ConsentRecord => ({
  purpose: event.purpose,
  status: statusAfter(event),
  purposeVersion: event.purposeVersion,
  since: event.occurredAt,
  expiresAt: expiresAtOf(event),
  streamVersion,
});

/**
 * Whether `candidate` replaces `current`: the latest act of the person wins, in (occurredAt, stream
 * order). Stream order alone would let a consent collected years ago, imported late from a legacy
 * system, override a withdrawal the person made since.
 */
export const supersedes = (candidate: ConsentRecord, current: ConsentRecord | undefined): boolean =>
  current === undefined ||
  compareLedgerOrder(
    { atMs: instantMs(candidate.since), seq: candidate.streamVersion },
    { atMs: instantMs(current.since), seq: current.streamVersion },
  ) >= 0;

/** A place in the fold: when the person acted, then stream order (a global position orders a stream too). */
export interface LedgerPlace {
  atMs: number;
  seq: number;
}

/**
 * The fold's order: occurredAt first, stream order breaking ties. Negative, zero or positive as `a`
 * comes before, at, or after `b`. Equal places are the same event: the ledger's fold lets a record
 * replace itself (`supersedes`, >= 0), a subscriber treats it as a redelivery (> 0).
 */
export const compareLedgerOrder = (a: LedgerPlace, b: LedgerPlace): number =>
  a.atMs !== b.atMs ? a.atMs - b.atMs : a.seq - b.seq;
