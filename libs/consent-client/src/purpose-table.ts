import { CONSENT_STATUSES, ConsentStatus, LegalBasis } from './consent-status';
import { LedgerOrder } from './ledger-order';

/** One stored decision, unpacked; only the write path builds these, never isAllowed. */
export interface StoredDecision extends LedgerOrder {
  allowed: boolean;
  status: ConsentStatus;
  /** Epoch milliseconds; Infinity when the decision never expires. */
  expiresAtMs: number;
}

/**
 * A subject's Map value packs its slot in the arrays below with the two bits isAllowed needs, so a
 * denied or never-expiring decision is answered by one Map lookup. Small integers are stored unboxed.
 */
const ALLOWED_BIT = 1;
const EXPIRES_BIT = 2;
const SLOT_SHIFT = 2;
const INITIAL_CAPACITY = 64;

/**
 * The decisions about one purpose, keyed by subject, held in typed arrays rather than one object per
 * decision: a million decisions take about 65 MB of heap, and a lookup touches no per-entry object.
 */
export class PurposeTable {
  /** Learned from the state topic; null until it has carried an entry for this purpose. */
  legalBasis: LegalBasis | null = null;
  private readonly slots = new Map<string, number>();
  private readonly freeSlots: number[] = [];
  private usedSlots = 0;
  /** Index into CONSENT_STATUSES. */
  private statuses = new Uint8Array(INITIAL_CAPACITY);
  private expiresAtMs = new Float64Array(INITIAL_CAPACITY);
  private sinceMs = new Float64Array(INITIAL_CAPACITY);
  private positions = new Float64Array(INITIAL_CAPACITY);

  get size(): number {
    return this.slots.size;
  }

  isAllowed(subjectId: string): boolean {
    const packed = this.slots.get(subjectId);
    if (packed === undefined || (packed & ALLOWED_BIT) === 0) return false;
    // Date.now() costs as much as the lookup, so only decisions that can expire pay for it.
    return (packed & EXPIRES_BIT) === 0 || this.expiresAtMs[packed >>> SLOT_SHIFT] > Date.now();
  }

  has(subjectId: string): boolean {
    return this.slots.has(subjectId);
  }

  get(subjectId: string): StoredDecision | undefined {
    const packed = this.slots.get(subjectId);
    if (packed === undefined) return undefined;
    const slot = packed >>> SLOT_SHIFT;
    return {
      allowed: (packed & ALLOWED_BIT) !== 0,
      status: CONSENT_STATUSES[this.statuses[slot]],
      expiresAtMs: this.expiresAtMs[slot],
      sinceMs: this.sinceMs[slot],
      position: this.positions[slot],
    };
  }

  set(subjectId: string, decision: StoredDecision): void {
    const packed = this.slots.get(subjectId);
    const slot = packed === undefined ? this.allocateSlot() : packed >>> SLOT_SHIFT;
    this.statuses[slot] = CONSENT_STATUSES.indexOf(decision.status);
    this.expiresAtMs[slot] = decision.expiresAtMs;
    this.sinceMs[slot] = decision.sinceMs;
    this.positions[slot] = decision.position;
    const bits = (decision.allowed ? ALLOWED_BIT : 0) | (decision.expiresAtMs === Infinity ? 0 : EXPIRES_BIT);
    this.slots.set(subjectId, (slot << SLOT_SHIFT) | bits);
  }

  delete(subjectId: string): void {
    const packed = this.slots.get(subjectId);
    if (packed === undefined) return;
    this.slots.delete(subjectId);
    this.freeSlots.push(packed >>> SLOT_SHIFT);
  }

  private allocateSlot(): number {
    const reused = this.freeSlots.pop();
    if (reused !== undefined) return reused;
    if (this.usedSlots === this.statuses.length) this.grow();
    return this.usedSlots++;
  }

  private grow(): void {
    const capacity = this.statuses.length * 2;
    this.statuses = grown(this.statuses, new Uint8Array(capacity));
    this.expiresAtMs = grown(this.expiresAtMs, new Float64Array(capacity));
    this.sinceMs = grown(this.sinceMs, new Float64Array(capacity));
    this.positions = grown(this.positions, new Float64Array(capacity));
  }
}

function grown<T extends Uint8Array | Float64Array>(current: T, larger: T): T {
  larger.set(current);
  return larger;
}
