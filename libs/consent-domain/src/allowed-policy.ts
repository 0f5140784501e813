import { ConsentEntry, ConsentRecord, ConsentStatus, DecisionReason } from './consent-state';
import { instantMs } from './instant';
import { LegalBasis } from './legal-basis';
import { Purpose, PurposeVersion } from './purpose';

/**
 * The versions in force at `at`. An answer about the past must not depend on text published since.
 * A legacy consent can predate the first publication; it then resolves against the first version
 * rather than against nothing.
 */
export const purposeAsOf = (purpose: Purpose, at: Date): PurposeVersion[] => {
  const published = purpose.versions.filter((v) => instantMs(v.publishedAt) <= at.getTime());
  return published.length > 0 ? published : purpose.versions.slice(0, 1);
};

const REASON_BY_STATUS: Record<ConsentStatus, DecisionReason> = {
  granted: 'consent_granted',
  refused: 'consent_refused',
  withdrawn: 'consent_withdrawn',
  expired: 'consent_expired',
  objected: 'objected',
  none: 'no_consent',
};

/** The bases under which processing stops when the person objects rather than when they stay silent. */
const OBJECTABLE: ReadonlySet<LegalBasis> = new Set(['legitimate_interest', 'public_task']);

/**
 * Erasure ends what rests on the person's will (consent, legitimate interest, and a public task they
 * objected to); a contract, a legal obligation or a vital interest can still require processing.
 */
export const endedByErasure = (basis: LegalBasis, status: ConsentStatus): boolean =>
  basis === 'consent' || basis === 'legitimate_interest' || (basis === 'public_task' && status === 'objected');

/**
 * A grant or refusal past its validity is expired at read time, since the scheduler's ConsentExpired
 * event may lag behind: a caller must never be told yes after validity ran out.
 */
export const statusAt = (record: Pick<ConsentRecord, 'status' | 'expiresAt'>, at: Date): ConsentStatus =>
  lapsedStatus(record.status, record.expiresAt === null ? Infinity : instantMs(record.expiresAt), at.getTime());

/** The read-time expiry rule on plain numbers (epoch ms; Infinity: never expires), for the SDK's hot path. */
export const lapsedStatus = (status: ConsentStatus, expiresAtMs: number, atMs: number): ConsentStatus =>
  (status === 'granted' || status === 'refused') && expiresAtMs <= atMs ? 'expired' : status;

/** Whether the expiry scheduler owes a ConsentExpired for this record at `at` (only a lapsed grant). */
export const isExpiryDue = (record: Pick<ConsentRecord, 'status' | 'expiresAt'>, at: Date): boolean =>
  record.status === 'granted' && record.expiresAt !== null && instantMs(record.expiresAt) <= at.getTime();

/** The allowed-policy on a status; "no record means no" is status `none` under consent. */
export const decisionFor = (
  basis: LegalBasis,
  status: ConsentStatus,
  reconsentRequired: boolean,
): { allowed: boolean; reason: DecisionReason } => {
  if (basis === 'consent') {
    if (status !== 'granted') return { allowed: false, reason: REASON_BY_STATUS[status] };
    return reconsentRequired
      ? { allowed: false, reason: 'reconsent_required' }
      : { allowed: true, reason: 'consent_granted' };
  }
  if (OBJECTABLE.has(basis) && status === 'objected') return { allowed: false, reason: 'objected' };
  return { allowed: true, reason: basis };
};

/** The decision a caller acts on for one (subject, purpose) at `at`, given the subject's record as of `at`. */
export const consentEntry = (
  record: ConsentRecord | undefined,
  purpose: Purpose,
  at: Date,
  erasedAt: string | null,
): ConsentEntry => {
  const versions = purposeAsOf(purpose, at);
  const latest = versions[versions.length - 1];
  if (latest === undefined) throw new Error(`Purpose ${purpose.purposeId} has no version`);
  const status: ConsentStatus = record === undefined ? 'none' : statusAt(record, at);
  // Only a live grant needs renewing; anything else is already not allowed for its own reason.
  const reconsentRequired =
    record !== undefined &&
    status === 'granted' &&
    versions.some((v) => v.version > record.purposeVersion && v.materialChange);
  const retired = purpose.retiredAt !== null && instantMs(purpose.retiredAt) <= at.getTime();
  const erased = erasedAt !== null && instantMs(erasedAt) <= at.getTime();
  const { allowed, reason } = retired
    ? { allowed: false, reason: 'purpose_retired' as const }
    : erased && endedByErasure(latest.legalBasis, status)
      ? { allowed: false, reason: 'subject_erased' as const }
      : decisionFor(latest.legalBasis, status, reconsentRequired);
  return {
    purpose: purpose.purposeId,
    purposeVersion: record?.purposeVersion ?? null,
    currentPurposeVersion: latest.version,
    legalBasis: latest.legalBasis,
    status,
    allowed,
    reason,
    since: record?.since ?? null,
    expiresAt: record?.expiresAt ?? null,
    reconsentRequired,
  };
};
