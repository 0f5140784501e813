import { CONSENT_STATUSES, ConsentStatus, LEGAL_BASES, LegalBasis } from '@consent-ledger/domain';

export { CONSENT_STATUSES, LEGAL_BASES };
export type { ConsentStatus, LegalBasis };

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
