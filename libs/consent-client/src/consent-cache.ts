import { decisionFor, lapsedStatus, statusAfter } from '@consent-ledger/domain';
import { ConsentChange } from './consent-change';
import { ConsentStatus, endedByErasure } from './consent-status';
import { comesAfter } from './ledger-order';
import { LedgerEvent, StateRecord } from './ledger-records';
import { PurposeTable, StoredDecision } from './purpose-table';

/**
 * Events that end an allowed decision on their own, with the status the domain gives them. A grant or
 * a lifted objection is never applied from the event: whether it allows anything depends on the
 * purpose's basis, material changes and erasure, which only the ledger knows, so those wait for the
 * state topic's entry.
 */
const DENYING_EVENTS: ReadonlyMap<string, ConsentStatus> = new Map(
  (['ConsentGranted', 'ConsentRefused', 'ConsentWithdrawn', 'ObjectionRecorded', 'ObjectionLifted', 'ConsentExpired'] as const)
    .map((type) => [type, statusAfter({ type })] as const)
    .filter(([, status]) => status !== 'granted' && status !== 'none'),
);

const SUBJECT_ERASED = 'SubjectErased';

interface Decision {
  allowed: boolean;
  status: ConsentStatus;
}

/** No record means no: the domain's answer for a never-decided pair under consent, the strictest basis. */
const UNKNOWN: Decision = { allowed: decisionFor('consent', 'none', false).allowed, status: 'none' };

/**
 * The client's in-memory copy of consent.state.v1, brought forward early by denying events from
 * consent.events.v1. Records of both topics are placed in the ledger's own order (LedgerOrder): one that
 * comes before what a pair holds is a redelivery, arrived late from the other topic, or (for an event)
 * an old decision imported late that the ledger does not let override a later one; it is ignored.
 */
export class ConsentCache {
  private readonly purposes = new Map<string, PurposeTable>();

  get size(): number {
    let size = 0;
    for (const table of this.purposes.values()) size += table.size;
    return size;
  }

  isAllowed(subjectId: string, purpose: string): boolean {
    const table = this.purposes.get(purpose);
    return table !== undefined && table.isAllowed(subjectId);
  }

  /**
   * Whether isAllowed's answer is the ledger's. A missing entry means "never decided", which is a no
   * only for a consent purpose; under another basis the ledger may say yes without any event.
   */
  isAuthoritative(subjectId: string, purpose: string): boolean {
    const table = this.purposes.get(purpose);
    return table !== undefined && (table.legalBasis === 'consent' || table.has(subjectId));
  }

  /**
   * Whether the pair's decision is from `position` or later. Positions rise along a subject's stream, so
   * a write that touched this pair and got that position (a 201's consentToken) is reflected in it.
   */
  hasSeen(subjectId: string, purpose: string, position: number): boolean {
    const stored = this.purposes.get(purpose)?.get(subjectId);
    return stored !== undefined && stored.position >= position;
  }

  /**
   * Applies a consent.state.v1 record. One at the place already held is applied: it is the decision a
   * denying event announced, now in full, or the same decision re-evaluated after a purpose changed.
   */
  applyState({ subjectId, purpose, entry }: StateRecord): ConsentChange | null {
    if (entry === null) {
      const table = this.purposes.get(purpose);
      const before = table?.get(subjectId);
      if (table === undefined || before === undefined) return null;
      table.delete(subjectId);
      return changeOf(subjectId, purpose, before, undefined);
    }
    const table = this.tableOf(purpose);
    table.legalBasis = entry.legalBasis;
    const before = table.get(subjectId);
    if (before !== undefined && comesAfter(before, entry)) return null;
    table.set(subjectId, entry);
    return changeOf(subjectId, purpose, before, entry);
  }

  /** Applies a consent.events.v1 event; returns the decisions it changed. */
  applyEvent(event: LedgerEvent): ConsentChange[] {
    if (event.type === SUBJECT_ERASED) return this.erase(event);
    const status = DENYING_EVENTS.get(event.type);
    if (status === undefined || event.purpose === null) return [];
    const table = this.tableOf(event.purpose);
    const before = table.get(event.subjectId);
    const { occurredAtMs: sinceMs, position } = event;
    const after: StoredDecision = { allowed: false, status, expiresAtMs: Infinity, sinceMs, position };
    if (before !== undefined && !comesAfter(after, before)) return [];
    table.set(event.subjectId, after);
    const change = changeOf(event.subjectId, event.purpose, before, after, event.eventId);
    return change === null ? [] : [change];
  }

  /**
   * Ends at once what erasure ends, whatever the dates: erasure is not a choice in the fold, so only the
   * position tells a redelivery. The entry moves to the erasure's occurredAt (when later than its own),
   * so that a state entry the ledger published before the erasure cannot bring a permission back.
   */
  private erase(event: LedgerEvent): ConsentChange[] {
    const changes: ConsentChange[] = [];
    for (const [purpose, table] of this.purposes) {
      const before = table.get(event.subjectId);
      if (before === undefined || event.position <= before.position || !endedByErasure(table.legalBasis, before.status)) continue;
      const sinceMs = Math.max(before.sinceMs, event.occurredAtMs);
      const after: StoredDecision = { ...before, allowed: false, sinceMs, position: event.position };
      table.set(event.subjectId, after);
      const change = changeOf(event.subjectId, purpose, before, after, event.eventId);
      if (change !== null) changes.push(change);
    }
    return changes;
  }

  private tableOf(purpose: string): PurposeTable {
    let table = this.purposes.get(purpose);
    if (table === undefined) {
      table = new PurposeTable();
      this.purposes.set(purpose, table);
    }
    return table;
  }
}

/** What a caller sees now: a grant or refusal past its validity reads as expired, as the ledger reports it. */
function decisionNow(stored: StoredDecision | undefined, now: number): Decision {
  if (stored === undefined) return UNKNOWN;
  const status = lapsedStatus(stored.status, stored.expiresAtMs, now);
  return status !== stored.status ? { allowed: false, status } : { allowed: stored.allowed, status };
}

function changeOf(
  subjectId: string,
  purpose: string,
  beforeStored: StoredDecision | undefined,
  afterStored: StoredDecision | undefined,
  eventId?: string,
): ConsentChange | null {
  const now = Date.now();
  const before = decisionNow(beforeStored, now);
  const after = decisionNow(afterStored, now);
  if (before.allowed === after.allowed && before.status === after.status) return null;
  const change: ConsentChange = { subjectId, purpose, allowed: after.allowed, status: after.status };
  if (eventId !== undefined) change.eventId = eventId;
  return change;
}
