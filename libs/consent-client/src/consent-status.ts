import {
  CONSENT_STATUSES, ConsentStatus, LEGAL_BASES, LegalBasis, endedByErasure as domainEndedByErasure,
} from '@consent-ledger/domain';

export { CONSENT_STATUSES, LEGAL_BASES };
export type { ConsentStatus, LegalBasis };

export const isConsentStatus = (value: unknown): value is ConsentStatus =>
  (CONSENT_STATUSES as readonly unknown[]).includes(value);

export const isLegalBasis = (value: unknown): value is LegalBasis => (LEGAL_BASES as readonly unknown[]).includes(value);

/**
 * Erasure ends what rests on the person's will: the ledger's own rule (consent-domain), repeated here
 * only to act on SubjectErased before the state topic's tombstones arrive. An unknown basis counts as
 * ended, so the cache errs towards "not allowed".
 */
export const endedByErasure = (basis: LegalBasis | null, status: ConsentStatus): boolean =>
  basis === null || domainEndedByErasure(basis, status);
