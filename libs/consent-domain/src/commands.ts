import { LegalBasis } from './legal-basis';
import { LocalizedText } from './purpose';
import { ChoiceType } from './subject-events';

export interface Choice {
  type: ChoiceType;
  purpose: string;
  /** The version the person was shown (a page cached before a new version); default: the current one. */
  purposeVersion?: number;
}

/** One banner submit: every choice is accepted, or none. */
export interface RecordChoices {
  type: 'RecordChoices';
  subjectId: string;
  choices: Choice[];
  /** ISO 8601; default now. */
  occurredAt?: string;
}

export interface ExpireConsent {
  type: 'ExpireConsent';
  subjectId: string;
  purpose: string;
}

export interface EraseSubject {
  type: 'EraseSubject';
  subjectId: string;
  /** Why (a request, "retention"); hashed into the chain and published, so never personal data. */
  reason?: string;
}

export type SubjectCommand = RecordChoices | ExpireConsent | EraseSubject;

export interface PublishPurpose {
  type: 'PublishPurpose';
  purposeId: string;
  title: LocalizedText;
  description: LocalizedText;
  legalBasis: LegalBasis;
  /** undefined: DEFAULT_VALIDITY_DAYS; null: never expires. */
  validityDays?: number | null;
  materialChange?: boolean;
}

export interface RetirePurpose {
  type: 'RetirePurpose';
  purposeId: string;
}

export type PurposeCommand = PublishPurpose | RetirePurpose;
