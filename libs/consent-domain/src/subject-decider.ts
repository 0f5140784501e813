import { isExpiryDue } from './allowed-policy';
import { isChoiceAllowed } from './basis-rules';
import { Choice, EraseSubject, ExpireConsent, RecordChoices, SubjectCommand } from './commands';
import { initialSubjectState, SubjectState } from './consent-state';
import { recordOf, supersedes } from './consent-record';
import { DomainError, domainError, isDomainError } from './domain-error';
import { instantMs, parseInstant, plusDays } from './instant';
import { Purpose, PurposeVersion } from './purpose';
import { currentVersion } from './purpose-decider';
import { ConsentExpired, PurposeChoiceEvent, SubjectErased, SubjectEvent } from './subject-events';

/** Client clocks drift; beyond this an occurredAt in the future is a bug, not skew. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** The handler loads the purposes the command names, since a decision depends on their versions. */
export interface SubjectDecisionState {
  subject: SubjectState;
  purposes: ReadonlyMap<string, Purpose>;
}

export const decideSubject = (
  command: SubjectCommand,
  state: SubjectDecisionState,
  now: Date,
): SubjectEvent[] | DomainError => {
  switch (command.type) {
    case 'RecordChoices':
      return recordChoices(command, state, now);
    case 'ExpireConsent':
      return expireConsent(command, state.subject, now);
    case 'EraseSubject':
      return eraseSubject(command, state.subject, now);
    default: {
      const unknown: never = command;
      throw new Error(`Unknown subject command ${(unknown as { type: string }).type}`);
    }
  }
};

/** Choices that let processing (re)start: a retired purpose must not gain new processing. */
const ENABLING_CHOICES: ReadonlySet<Choice['type']> = new Set(['ConsentGranted', 'ObjectionLifted']);

const recordChoices = (
  command: RecordChoices,
  state: SubjectDecisionState,
  now: Date,
): PurposeChoiceEvent[] | DomainError => {
  const occurred = command.occurredAt === undefined ? now : parseInstant(command.occurredAt);
  if (occurred === null) {
    return domainError(
      'invalid_occurred_at',
      'occurredAt must be an ISO 8601 date-time with a time zone, e.g. 2024-05-01T12:00:00Z.',
      'occurredAt',
    );
  }
  if (occurred.getTime() - now.getTime() > MAX_CLOCK_SKEW_MS) {
    return domainError(
      'occurred_at_in_future',
      `occurredAt ${command.occurredAt} is more than 5 minutes after the server time ${now.toISOString()}.`,
      'occurredAt',
    );
  }
  if (state.subject.erasedAt !== null) {
    return domainError(
      'subject_erased',
      `Subject ${command.subjectId} was erased on ${state.subject.erasedAt}; nothing more is recorded for it.`,
    );
  }
  const occurredAt = occurred.toISOString();
  const events: PurposeChoiceEvent[] = [];
  // Validate every choice before emitting any: a banner submit is one act, recorded whole or not at all.
  for (const [index, choice] of command.choices.entries()) {
    const event = choiceEvent(command.subjectId, choice, index, occurredAt, occurred, state.purposes);
    if (isDomainError(event)) return event;
    events.push(event);
  }
  return events;
};

const choiceEvent = (
  subjectId: string,
  choice: Choice,
  index: number,
  occurredAt: string,
  occurred: Date,
  purposes: ReadonlyMap<string, Purpose>,
): PurposeChoiceEvent | DomainError => {
  const at = `events[${index}]`;
  const purpose = purposes.get(choice.purpose);
  if (purpose === undefined) {
    return domainError('unknown_purpose', `Purpose ${choice.purpose} does not exist.`, `${at}.purpose`);
  }
  const shown: PurposeVersion | undefined =
    choice.purposeVersion === undefined
      ? currentVersion(purpose)
      : purpose.versions.find((v) => v.version === choice.purposeVersion);
  if (shown === undefined) {
    return domainError(
      'unknown_purpose_version',
      `Purpose ${choice.purpose} has no version ${choice.purposeVersion}.`,
      `${at}.purposeVersion`,
    );
  }
  if (!isChoiceAllowed(shown.legalBasis, choice.type)) {
    return domainError(
      'event_not_allowed_for_legal_basis',
      `${choice.type} cannot be recorded for purpose ${choice.purpose} version ${shown.version}, ` +
        `whose legal basis is ${shown.legalBasis}.`,
      `${at}.type`,
    );
  }
  if (purpose.retiredAt !== null && ENABLING_CHOICES.has(choice.type)) {
    return domainError(
      'purpose_retired',
      `Purpose ${choice.purpose} was retired on ${purpose.retiredAt}: it accepts withdrawals and objections only.`,
      `${at}.purpose`,
    );
  }
  const base = { subjectId, purpose: choice.purpose, purposeVersion: shown.version, occurredAt };
  switch (choice.type) {
    case 'ConsentGranted':
    case 'ConsentRefused':
      return { ...base, type: choice.type, expiresAt: expiryOf(occurred, shown) };
    case 'ConsentWithdrawn':
    case 'ObjectionRecorded':
    case 'ObjectionLifted':
      return { ...base, type: choice.type };
    default: {
      const unknown: never = choice.type;
      throw new Error(`Unknown choice ${String(unknown)}`);
    }
  }
};

/** Validity runs from when the person acted, under the version they were shown. */
const expiryOf = (occurred: Date, shown: PurposeVersion): string | null =>
  shown.validityDays === null ? null : plusDays(occurred, shown.validityDays).toISOString();

const expireConsent = (command: ExpireConsent, subject: SubjectState, now: Date): ConsentExpired[] => {
  const record = subject.consents[command.purpose];
  if (record === undefined || record.expiresAt === null || !isExpiryDue(record, now)) {
    // The scheduler retries and races with new choices: anything but a lapsed grant is a no-op.
    return [];
  }
  return [
    {
      type: 'ConsentExpired',
      subjectId: command.subjectId,
      purpose: command.purpose,
      purposeVersion: record.purposeVersion,
      // When validity actually ran out, not when the scheduler noticed: state at T must not depend on its lag.
      occurredAt: record.expiresAt,
    },
  ];
};

const eraseSubject = (command: EraseSubject, subject: SubjectState, now: Date): SubjectErased[] =>
  subject.erasedAt !== null
    ? []
    : [{
        type: 'SubjectErased',
        subjectId: command.subjectId,
        occurredAt: now.toISOString(),
        ...(command.reason === undefined ? {} : { reason: command.reason }),
      }];

export const evolveSubject = (state: SubjectState, event: SubjectEvent): SubjectState => {
  const version = state.version + 1;
  switch (event.type) {
    case 'SubjectErased':
      return { ...state, version, erasedAt: state.erasedAt ?? event.occurredAt };
    case 'ConsentGranted':
    case 'ConsentRefused':
    case 'ConsentWithdrawn':
    case 'ObjectionRecorded':
    case 'ObjectionLifted':
    case 'ConsentExpired': {
      const record = recordOf(event, version);
      return supersedes(record, state.consents[event.purpose])
        ? { ...state, version, consents: { ...state.consents, [event.purpose]: record } }
        : { ...state, version };
    }
    default: {
      const unknown: never = event;
      throw new Error(`Unknown subject event ${(unknown as { type: string }).type}`);
    }
  }
};

/** The subject's current state from its whole stream, oldest first. */
export const foldSubject = (subjectId: string, events: readonly SubjectEvent[]): SubjectState =>
  events.reduce(evolveSubject, initialSubjectState(subjectId));

/**
 * The subject's state at instant `at`, from its stream in stream order. Events that occurred later
 * are skipped but still counted, so each applied record keeps its real stream version (what a proof
 * cites) and `version` is the stream version the answer was computed from.
 */
export const subjectStateAt = (subjectId: string, events: readonly SubjectEvent[], at: Date): SubjectState =>
  events.reduce(
    (state, event) =>
      instantMs(event.occurredAt) <= at.getTime() ? evolveSubject(state, event) : { ...state, version: state.version + 1 },
    initialSubjectState(subjectId),
  );
