import { LegalBasis } from './legal-basis';

export const CONSENT_STATUSES = ['none', 'granted', 'refused', 'withdrawn', 'expired', 'objected'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

/**
 * What the subject's stream says about one purpose: the effect of its latest event in
 * (occurredAt, stream order). Purpose-independent; the allowed-policy combines it with the purpose.
 */
export interface ConsentRecord {
  purpose: string;
  /** granted, refused, withdrawn, expired, objected; 'none' after an objection is lifted. */
  status: ConsentStatus;
  purposeVersion: number;
  /** occurredAt of the event that set this record. */
  since: string;
  expiresAt: string | null;
  /** Stream version of that event: breaks ties between equal occurredAt. */
  streamVersion: number;
}

/** The folded state of one subject stream. */
export interface SubjectState {
  subjectId: string;
  /** Number of events in the stream. */
  version: number;
  erasedAt: string | null;
  consents: Record<string, ConsentRecord>;
}

export const initialSubjectState = (subjectId: string): SubjectState => ({
  subjectId,
  version: 0,
  erasedAt: null,
  consents: {},
});

/** Why a check came out as it did; stable codes for callers and logs. */
export type DecisionReason =
  | 'consent_granted'
  | 'no_consent'
  | 'consent_refused'
  | 'consent_withdrawn'
  | 'consent_expired'
  | 'reconsent_required'
  | 'objected'
  | 'legitimate_interest'
  | 'public_task'
  | 'contract'
  | 'legal_obligation'
  | 'vital_interest'
  | 'subject_erased'
  | 'purpose_retired';

/** The entry a caller acts on, for one (subject, purpose) at one instant. */
export interface ConsentEntry {
  purpose: string;
  /** The version the subject's decision was about; null when never decided. */
  purposeVersion: number | null;
  currentPurposeVersion: number;
  legalBasis: LegalBasis;
  status: ConsentStatus;
  allowed: boolean;
  reason: DecisionReason;
  since: string | null;
  expiresAt: string | null;
  reconsentRequired: boolean;
}
