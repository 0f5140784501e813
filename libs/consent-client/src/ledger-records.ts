import { ConsentStatus, isConsentStatus, isLegalBasis, LegalBasis } from './consent-status';
import { LedgerOrder } from './ledger-order';

/** A record on consent.state.v1 or consent.events.v1 that does not follow the v1 contract. */
export class MalformedRecordError extends Error {
  override readonly name = 'MalformedRecordError';
}

/** A decision as consent.state.v1 carries it, reduced to what the cache keeps. */
export interface StateEntry extends LedgerOrder {
  allowed: boolean;
  status: ConsentStatus;
  legalBasis: LegalBasis;
  /** Epoch milliseconds; Infinity when the decision never expires. */
  expiresAtMs: number;
}

/** One consent.state.v1 record: a key's new entry, or (entry null) a tombstone that forgets the key. */
export interface StateRecord {
  subjectId: string;
  purpose: string;
  entry: StateEntry | null;
}

/** The consent.events.v1 fields the client acts on. */
export interface LedgerEvent {
  eventId: string;
  type: string;
  subjectId: string;
  /** Absent on SubjectErased. */
  purpose: string | null;
  occurredAtMs: number;
  position: number;
}

export function parseStateRecord(key: Buffer | null, value: Buffer | null): StateRecord {
  // The key, not the value, names the pair: a tombstone has nothing else to go by.
  const { purpose, subjectId } = parseStateKey(key);
  if (value === null) return { subjectId, purpose, entry: null };
  const json = parseJsonObject(value);
  const { allowed, status, legalBasis, since, expiresAt } = json;
  if (typeof allowed !== 'boolean') throw new MalformedRecordError('state entry without a boolean "allowed"');
  if (!isConsentStatus(status)) throw new MalformedRecordError(`state entry with unknown status ${String(status)}`);
  if (!isLegalBasis(legalBasis)) throw new MalformedRecordError(`state entry with unknown legalBasis ${String(legalBasis)}`);
  return {
    subjectId,
    purpose,
    entry: {
      allowed,
      status,
      legalBasis,
      expiresAtMs: expiresAt === null || expiresAt === undefined ? Infinity : parseInstant(expiresAt, 'expiresAt'),
      sinceMs: since === null || since === undefined ? -Infinity : parseInstant(since, 'since'),
      position: parsePosition(json.position),
    },
  };
}

export function parseLedgerEvent(value: Buffer | null): LedgerEvent {
  if (value === null) throw new MalformedRecordError('event without a value');
  const json = parseJsonObject(value);
  const { eventId, type, subjectId, purpose } = json;
  if (typeof eventId !== 'string' || typeof type !== 'string' || typeof subjectId !== 'string') {
    throw new MalformedRecordError('event without string eventId, type and subjectId');
  }
  if (purpose !== undefined && purpose !== null && typeof purpose !== 'string') {
    throw new MalformedRecordError('event with a non-string purpose');
  }
  return {
    eventId,
    type,
    subjectId,
    purpose: purpose ?? null,
    occurredAtMs: parseInstant(json.occurredAt, 'occurredAt'),
    position: parsePosition(json.position),
  };
}

/**
 * `${purposeId}:${subjectId}`: purpose ids never contain ':', subject ids may. Both parts are decoded
 * from the bytes separately so each is a flat string of its own, not a slice that keeps the whole key alive.
 */
function parseStateKey(key: Buffer | null): { purpose: string; subjectId: string } {
  const separator = key?.indexOf(':') ?? -1;
  if (key === null || separator <= 0 || separator === key.length - 1) {
    throw new MalformedRecordError(`state key "${key?.toString('utf8') ?? ''}" is not purpose:subject`);
  }
  return { purpose: key.toString('utf8', 0, separator), subjectId: key.toString('utf8', separator + 1) };
}

function parseJsonObject(value: Buffer): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch {
    throw new MalformedRecordError('value is not JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new MalformedRecordError('value is not a JSON object');
  return json as Record<string, unknown>;
}

/** Global positions come from a Postgres bigint, so a producer may send them as digit strings. */
function parsePosition(position: unknown): number {
  const parsed = typeof position === 'string' && /^\d+$/.test(position) ? Number(position) : position;
  if (typeof parsed !== 'number' || !Number.isSafeInteger(parsed) || parsed < 0) {
    throw new MalformedRecordError(`position ${String(position)} is not a non-negative integer`);
  }
  return parsed;
}

function parseInstant(value: unknown, field: string): number {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw new MalformedRecordError(`${field} ${String(value)} is not an ISO 8601 instant`);
  return ms;
}
