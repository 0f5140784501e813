import { parseInstant } from './instant';
import { MAX_CLOCK_SKEW_MS } from './subject-decider';
import { SubjectEvent } from './subject-events';

/**
 * Which events end processing on their own, whatever the purpose's basis or the subject's other records:
 * the ones every processing service must act on (closed-loop enforcement). A grant or a lifted objection
 * can only let processing start again, so there is nothing to enforce. A Record, not a list, so that a
 * new event type does not compile until it is classified here.
 */
const DENIES_PROCESSING: Record<SubjectEvent['type'], boolean> = {
  ConsentGranted: false,
  ConsentRefused: true,
  ConsentWithdrawn: true,
  ObjectionRecorded: true,
  ObjectionLifted: false,
  ConsentExpired: true,
  SubjectErased: true,
};

export const DENYING_EVENT_TYPES: readonly SubjectEvent['type'][] = (
  Object.keys(DENIES_PROCESSING) as SubjectEvent['type'][]
).filter((type) => DENIES_PROCESSING[type]);

export const isDenyingEvent = (type: string): boolean =>
  Object.hasOwn(DENIES_PROCESSING, type) && DENIES_PROCESSING[type as SubjectEvent['type']];

export type EnforcementRuleCode = 'invalid_enforced_at' | 'enforced_at_in_future' | 'enforced_before_recorded';

export interface EnforcementRuleError {
  kind: 'EnforcementRuleError';
  code: EnforcementRuleCode;
  message: string;
}

const ruleError = (code: EnforcementRuleCode, message: string): EnforcementRuleError => ({
  kind: 'EnforcementRuleError',
  code,
  message,
});

export const isEnforcementRuleError = (value: unknown): value is EnforcementRuleError =>
  typeof value === 'object' && value !== null && (value as EnforcementRuleError).kind === 'EnforcementRuleError';

/**
 * When a service enforced an event, from what it claims (`requested`, default: now). A service cannot
 * act on an event before the ledger recorded it, nor after the ledger hears of it, but its clock may
 * drift from the ledger's: within MAX_CLOCK_SKEW_MS the claim is brought into [recordedAt, now], beyond
 * it the claim is a bug and refused. Latency is therefore never negative.
 */
export const decideEnforcedAt = (
  requested: string | undefined,
  recordedAt: Date,
  now: Date,
): Date | EnforcementRuleError => {
  const claimed = requested === undefined ? now : parseInstant(requested);
  if (claimed === null) {
    return ruleError('invalid_enforced_at', 'enforcedAt must be an ISO 8601 date-time with a time zone, e.g. 2024-05-01T12:00:00Z.');
  }
  if (claimed.getTime() - now.getTime() > MAX_CLOCK_SKEW_MS) {
    return ruleError('enforced_at_in_future', `enforcedAt ${requested} is more than 5 minutes after the server time ${now.toISOString()}.`);
  }
  if (recordedAt.getTime() - claimed.getTime() > MAX_CLOCK_SKEW_MS) {
    return ruleError(
      'enforced_before_recorded',
      `enforcedAt ${requested} is more than 5 minutes before the event was recorded (${recordedAt.toISOString()}).`,
    );
  }
  const latest = Math.max(now.getTime(), recordedAt.getTime());
  return new Date(Math.min(Math.max(claimed.getTime(), recordedAt.getTime()), latest));
};

/** Processing services are named like purposes: short, lowercase, URL-safe. */
export const SERVICE_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
