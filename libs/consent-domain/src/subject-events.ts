/**
 * Events of a subject's stream. `occurredAt` is when the person acted (ISO 8601, UTC);
 * `purposeVersion` is the version the person was shown.
 */
interface PurposeChoice {
  subjectId: string;
  purpose: string;
  purposeVersion: number;
  occurredAt: string;
}

export interface ConsentGranted extends PurposeChoice {
  type: 'ConsentGranted';
  /** occurredAt + the version's validityDays; null when it never expires. */
  expiresAt: string | null;
}

export interface ConsentRefused extends PurposeChoice {
  type: 'ConsentRefused';
  /** A refusal is remembered as long as a grant would be. */
  expiresAt: string | null;
}

export interface ConsentWithdrawn extends PurposeChoice {
  type: 'ConsentWithdrawn';
}

export interface ObjectionRecorded extends PurposeChoice {
  type: 'ObjectionRecorded';
}

export interface ObjectionLifted extends PurposeChoice {
  type: 'ObjectionLifted';
}

/** Written by the service when a grant's validity runs out. */
export interface ConsentExpired extends PurposeChoice {
  type: 'ConsentExpired';
}

/** Erasure executed: the subject's data key is destroyed. */
export interface SubjectErased {
  type: 'SubjectErased';
  subjectId: string;
  occurredAt: string;
  reason?: string;
}

export type PurposeChoiceEvent =
  | ConsentGranted
  | ConsentRefused
  | ConsentWithdrawn
  | ObjectionRecorded
  | ObjectionLifted
  | ConsentExpired;

export type SubjectEvent = PurposeChoiceEvent | SubjectErased;

/** The event types a person can post; the others are written by the service. */
export const CHOICE_TYPES = [
  'ConsentGranted',
  'ConsentRefused',
  'ConsentWithdrawn',
  'ObjectionRecorded',
  'ObjectionLifted',
] as const;
export type ChoiceType = (typeof CHOICE_TYPES)[number];
