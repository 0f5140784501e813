import {
  consentEntry, decideEnforcedAt, DENYING_EVENT_TYPES, isDenyingEvent, isEnforcementRuleError, Purpose, SubjectEvent,
  subjectStateAt,
} from '../src';
import {
  daysAfter, erasure, expiry, grant, newsletter, NOW, objection, objectionLifted, offers, refusal, SUBJECT, withdrawal,
} from './support/fixtures';

const T0 = '2024-05-01T10:00:00.000Z';
const T1 = '2024-05-02T10:00:00.000Z';

const allowedAfter = (purpose: Purpose, events: SubjectEvent[]): boolean => {
  const state = subjectStateAt(SUBJECT, events, NOW);
  return consentEntry(state.consents[purpose.purposeId], purpose, NOW, state.erasedAt).allowed;
};

describe('which events deny processing (what services must enforce)', () => {
  // Each case: a history, then one more event; every event type each basis takes is covered.
  const cases: { purpose: Purpose; history: SubjectEvent[]; next: SubjectEvent }[] = [
    { purpose: newsletter, history: [grant('newsletter', T0, null)], next: withdrawal('newsletter', T1) },
    { purpose: newsletter, history: [grant('newsletter', T0, null)], next: refusal('newsletter', T1, null) },
    { purpose: newsletter, history: [grant('newsletter', T0, null)], next: expiry('newsletter', T1) },
    { purpose: newsletter, history: [grant('newsletter', T0, null)], next: erasure(T1) },
    { purpose: newsletter, history: [grant('newsletter', T0, null)], next: grant('newsletter', T1, daysAfter(T1, 395)) },
    { purpose: offers, history: [], next: objection('offers-similar-services', T1) },
    { purpose: offers, history: [], next: erasure(T1) },
    { purpose: offers, history: [objection('offers-similar-services', T0)], next: objectionLifted('offers-similar-services', T1) },
  ];

  it.each(cases)('$next.type on $purpose.purposeId denies exactly when processing is not allowed after it', ({ purpose, history, next }) => {
    expect(allowedAfter(purpose, [...history, next])).toBe(!isDenyingEvent(next.type));
  });

  it('lists withdrawal, refusal, objection, expiry and erasure, and nothing else', () => {
    expect([...DENYING_EVENT_TYPES].sort()).toEqual(
      ['ConsentExpired', 'ConsentRefused', 'ConsentWithdrawn', 'ObjectionRecorded', 'SubjectErased'],
    );
    expect(isDenyingEvent('PurposePublished')).toBe(false);
    expect(isDenyingEvent('toString')).toBe(false);
  });
});

describe('when a service enforced an event', () => {
  const recordedAt = new Date('2024-06-01T09:00:00.000Z');
  const now = new Date('2024-06-01T10:00:00.000Z');

  it('is now when the service does not say', () => {
    expect(decideEnforcedAt(undefined, recordedAt, now)).toEqual(now);
  });

  it('is the claimed instant between the recording and now', () => {
    expect(decideEnforcedAt('2024-06-01T09:30:00+00:00', recordedAt, now)).toEqual(new Date('2024-06-01T09:30:00.000Z'));
  });

  it('is brought into [recordedAt, now] within the clock skew, so latency is never negative', () => {
    expect(decideEnforcedAt('2024-06-01T08:58:00Z', recordedAt, now)).toEqual(recordedAt);
    expect(decideEnforcedAt('2024-06-01T10:03:00Z', recordedAt, now)).toEqual(now);
  });

  it('is refused beyond the clock skew, or when it is not an instant', () => {
    const codeOf = (requested: string) => {
      const decided = decideEnforcedAt(requested, recordedAt, now);
      return isEnforcementRuleError(decided) ? decided.code : decided;
    };
    expect(codeOf('2024-06-01T10:06:00Z')).toBe('enforced_at_in_future');
    expect(codeOf('2024-06-01T08:54:00Z')).toBe('enforced_before_recorded');
    expect(codeOf('yesterday')).toBe('invalid_enforced_at');
    expect(codeOf('2024-06-01T09:30:00')).toBe('invalid_enforced_at');
  });
});
