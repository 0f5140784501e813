import { ConsentRecord, supersedes } from '@consent-ledger/domain';
import fc from 'fast-check';
import { ConsentCache } from '../src/consent-cache';
import { LedgerEvent, StateEntry } from '../src/ledger-records';

/**
 * The cache places records of both topics in the ledger's own fold order (consent-domain's
 * compareLedgerOrder): whatever order the topics deliver them in, and with redeliveries, it ends
 * holding the decision the domain's `supersedes` keeps. Few instants and positions, so ties are common.
 */
const place = fc.record({ minute: fc.integer({ min: 0, max: 4 }), position: fc.integer({ min: 1, max: 6 }) });
const record = fc.oneof(
  place.map((p) => ({ kind: 'state' as const, ...p, allowed: true })),
  place.map((p) => ({ kind: 'state' as const, ...p, allowed: false })),
  place.map((p) => ({ kind: 'event' as const, ...p, allowed: false })),
);

const sinceMs = (minute: number) => Date.UTC(2025, 0, 15) + minute * 60_000;
const asRecord = (r: { minute: number; position: number; allowed: boolean }): ConsentRecord => ({
  purpose: 'newsletter',
  status: r.allowed ? 'granted' : 'withdrawn',
  purposeVersion: 1,
  since: new Date(sinceMs(r.minute)).toISOString(),
  expiresAt: null,
  // Within one subject, global position orders the stream as stream version does.
  streamVersion: r.position,
});

describe('ConsentCache against the domain fold order', () => {
  it('holds the decision that supersedes every other, whatever the delivery order (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 12 }), (delivered) => {
        // One place is one event: the topics agree on what it decided.
        const byPlace = new Map<string, boolean>();
        const records = delivered.map((r) => {
          const key = `${r.minute}:${r.position}`;
          if (!byPlace.has(key)) byPlace.set(key, r.allowed);
          return { ...r, allowed: byPlace.get(key) as boolean };
        });
        const cache = new ConsentCache();
        for (const r of records) {
          if (r.kind === 'state' || r.allowed) {
            const entry: StateEntry = {
              allowed: r.allowed, status: r.allowed ? 'granted' : 'withdrawn', legalBasis: 'consent',
              expiresAtMs: Infinity, sinceMs: sinceMs(r.minute), position: r.position,
            };
            cache.applyState({ subjectId: 'alice', purpose: 'newsletter', entry });
          } else {
            const event: LedgerEvent = {
              eventId: `e${r.position}`, type: 'ConsentWithdrawn', subjectId: 'alice', purpose: 'newsletter',
              occurredAtMs: sinceMs(r.minute), position: r.position,
            };
            cache.applyEvent(event);
          }
        }
        const kept = records.reduce<(typeof records)[number] | undefined>(
          (current, r) => (current === undefined || supersedes(asRecord(r), asRecord(current)) ? r : current),
          undefined,
        );
        expect(cache.isAllowed('alice', 'newsletter')).toBe(kept?.allowed ?? false);
      }),
      { numRuns: 500, seed: 20261127 },
    );
  });
});
