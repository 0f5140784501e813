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
 * event may lag behind: a caller must never be told yes after validity ran out. On plain numbers
 * (epoch ms; Infinity: never expires), for the hot paths: the SDK and the bulk check.
 */
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

/** What the allowed-policy reads of a record: its expiry as epoch ms (Infinity: never), as the SDK keeps it. */
export interface DecidingRecord {
  status: ConsentStatus;
  purposeVersion: number;
  expiresAtMs: number;
}

export const decidingRecord = (record: ConsentRecord): DecidingRecord => ({
  status: record.status,
  purposeVersion: record.purposeVersion,
  expiresAtMs: record.expiresAt === null ? Infinity : instantMs(record.expiresAt),
});

export interface PolicyDecision {
  status: ConsentStatus;
  allowed: boolean;
  reason: DecisionReason;
  reconsentRequired: boolean;
}

/** The allowed-policy of one purpose at one instant, ready to decide any number of subjects. */
export interface PurposePolicy {
  /** The purpose's version in force at the instant. */
  latest: PurposeVersion;
  decide(record: DecidingRecord | undefined, erasedAt: string | null): PolicyDecision;
}

/**
 * What depends on the purpose alone (the versions in force, its retirement) is worked out once:
 * a bulk check decides thousands of subjects against the same purpose and instant.
 */
export const purposePolicyAt = (purpose: Purpose, at: Date): PurposePolicy => {
  const versions = purposeAsOf(purpose, at);
  const latest = versions[versions.length - 1];
  if (latest === undefined) throw new Error(`Purpose ${purpose.purposeId} has no version`);
  const atMs = at.getTime();
  const retired = purpose.retiredAt !== null && instantMs(purpose.retiredAt) <= atMs;
  return {
    latest,
    decide(record, erasedAt) {
      const status: ConsentStatus = record === undefined ? 'none' : lapsedStatus(record.status, record.expiresAtMs, atMs);
      // Only a live grant needs renewing; anything else is already not allowed for its own reason.
      const reconsentRequired =
        record !== undefined &&
        status === 'granted' &&
        versions.some((v) => v.version > record.purposeVersion && v.materialChange);
      const erased = erasedAt !== null && instantMs(erasedAt) <= atMs;
      const { allowed, reason } = retired
        ? { allowed: false, reason: 'purpose_retired' as const }
        : erased && endedByErasure(latest.legalBasis, status)
          ? { allowed: false, reason: 'subject_erased' as const }
          : decisionFor(latest.legalBasis, status, reconsentRequired);
      return { status, allowed, reason, reconsentRequired };
    },
  };
};

/** The decision a caller acts on for one (subject, purpose) at `at`, given the subject's record as of `at`. */
export const consentEntry = (
  record: ConsentRecord | undefined,
  purpose: Purpose,
  at: Date,
  erasedAt: string | null,
): ConsentEntry => {
  const policy = purposePolicyAt(purpose, at);
  const { status, allowed, reason, reconsentRequired } = policy.decide(record && decidingRecord(record), erasedAt);
  return {
    purpose: purpose.purposeId,
    purposeVersion: record?.purposeVersion ?? null,
    currentPurposeVersion: policy.latest.version,
    legalBasis: policy.latest.legalBasis,
    status,
    allowed,
    reason,
    since: record?.since ?? null,
    expiresAt: record?.expiresAt ?? null,
    reconsentRequired,
  };
};
