import { ConsentRecord, ConsentStatus } from './consent-state';
import { instantMs } from './instant';
import { PurposeChoiceEvent } from './subject-events';

const statusOf = (event: PurposeChoiceEvent): ConsentStatus => {
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
      const unknown: never = event;
      throw new Error(`Unknown choice event ${(unknown as { type: string }).type}`);
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
  status: statusOf(event),
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
export const supersedes = (candidate: ConsentRecord, current: ConsentRecord | undefined): boolean => {
  if (current === undefined) return true;
  const candidateAt = instantMs(candidate.since);
  const currentAt = instantMs(current.since);
  return candidateAt !== currentAt ? candidateAt > currentAt : candidate.streamVersion >= current.streamVersion;
};
