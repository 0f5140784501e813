import { PublishPurpose, PurposeCommand, RetirePurpose } from './commands';
import { DomainError, domainError } from './domain-error';
import { DEFAULT_VALIDITY_DAYS, Purpose, PurposeVersion } from './purpose';
import { PurposeEvent, PurposePublished, PurposeRetired } from './purpose-events';
import { sameText } from './localized-text';

/** A hundred years: anything longer is a typo, not a retention policy. */
export const MAX_VALIDITY_DAYS = 36_500;

/** A purpose stream that does not exist yet. */
export const initialPurpose = (): Purpose | null => null;

export const currentVersion = (purpose: Purpose): PurposeVersion | undefined =>
  purpose.versions[purpose.versions.length - 1];

export const decidePurpose = (
  command: PurposeCommand,
  state: Purpose | null,
  now: Date,
): PurposeEvent[] | DomainError => {
  switch (command.type) {
    case 'PublishPurpose':
      return publish(command, state, now);
    case 'RetirePurpose':
      return retire(command, state, now);
    default: {
      const unknown: never = command;
      throw new Error(`Unknown purpose command ${(unknown as { type: string }).type}`);
    }
  }
};

const publish = (command: PublishPurpose, state: Purpose | null, now: Date): PurposePublished[] | DomainError => {
  if (state !== null && state.retiredAt !== null) {
    return domainError(
      'purpose_retired',
      `Purpose ${command.purposeId} was retired on ${state.retiredAt}; a retired purposeId is never reused, ` +
        'so that past consents keep meaning what the person was shown: publish it under a new purposeId.',
      'purposeId',
    );
  }
  const validityDays = command.validityDays === undefined ? DEFAULT_VALIDITY_DAYS : command.validityDays;
  if (
    validityDays !== null &&
    !(Number.isInteger(validityDays) && validityDays >= 1 && validityDays <= MAX_VALIDITY_DAYS)
  ) {
    return domainError(
      'invalid_validity_days',
      `validityDays must be an integer from 1 to ${MAX_VALIDITY_DAYS}, or null for no expiry.`,
      'validityDays',
    );
  }
  const current = state === null ? undefined : currentVersion(state);
  if (
    current !== undefined &&
    current.legalBasis === command.legalBasis &&
    current.validityDays === validityDays &&
    sameText(current.title, command.title) &&
    sameText(current.description, command.description)
  ) {
    // PUT is retried by deployment scripts: the same body must not mint a version (nor a re-consent).
    return [];
  }
  // Grants under another basis were never an agreement to the new one.
  const basisChanged = current !== undefined && current.legalBasis !== command.legalBasis;
  return [
    {
      type: 'PurposePublished',
      purposeId: command.purposeId,
      version: (current?.version ?? 0) + 1,
      title: command.title,
      description: command.description,
      legalBasis: command.legalBasis,
      validityDays,
      materialChange: basisChanged || (command.materialChange ?? false),
      occurredAt: now.toISOString(),
    },
  ];
};

const retire = (command: RetirePurpose, state: Purpose | null, now: Date): PurposeRetired[] | DomainError => {
  if (state === null) {
    return domainError('purpose_not_found', `Purpose ${command.purposeId} does not exist.`, 'purposeId');
  }
  if (state.retiredAt !== null) return [];
  return [{ type: 'PurposeRetired', purposeId: command.purposeId, occurredAt: now.toISOString() }];
};

export const evolvePurpose = (state: Purpose | null, event: PurposeEvent): Purpose => {
  const purpose: Purpose = state ?? { purposeId: event.purposeId, versions: [], retiredAt: null };
  switch (event.type) {
    case 'PurposePublished':
      return {
        ...purpose,
        versions: [
          ...purpose.versions,
          {
            version: event.version,
            title: event.title,
            description: event.description,
            legalBasis: event.legalBasis,
            validityDays: event.validityDays,
            materialChange: event.materialChange,
            publishedAt: event.occurredAt,
          },
        ],
      };
    case 'PurposeRetired':
      return { ...purpose, retiredAt: purpose.retiredAt ?? event.occurredAt };
    default: {
      const unknown: never = event;
      throw new Error(`Unknown purpose event ${(unknown as { type: string }).type}`);
    }
  }
};

export const foldPurpose = (events: readonly PurposeEvent[]): Purpose | null =>
  events.reduce<Purpose | null>(evolvePurpose, initialPurpose());
