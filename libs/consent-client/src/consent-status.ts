/** The status of one (subject, purpose) as the ledger publishes it on consent.state.v1. */
export const CONSENT_STATUSES = ['none', 'granted', 'refused', 'withdrawn', 'expired', 'objected'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

/** GDPR Art. 6(1) lawful bases, as the ledger spells them. */
export const LEGAL_BASES = [
  'consent',
  'legitimate_interest',
  'contract',
  'legal_obligation',
  'vital_interest',
  'public_task',
] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

export const isConsentStatus = (value: unknown): value is ConsentStatus =>
  (CONSENT_STATUSES as readonly unknown[]).includes(value);

export const isLegalBasis = (value: unknown): value is LegalBasis => (LEGAL_BASES as readonly unknown[]).includes(value);

/**
 * Erasure ends what rests on the person's will. The ledger applies the same rule; the client repeats it
 * only to act on SubjectErased before the state topic's tombstones arrive. An unknown basis counts as
 * ended, so the cache errs towards "not allowed".
 */
export const endedByErasure = (basis: LegalBasis | null, status: ConsentStatus): boolean =>
  basis === null ||
  basis === 'consent' ||
  basis === 'legitimate_interest' ||
  (basis === 'public_task' && status === 'objected');
