import { ConsentCache } from '../src/consent-cache';
import { LedgerEvent, StateEntry, StateRecord } from '../src/ledger-records';

/** Unless a test says otherwise, a later position is also a later occurredAt, as for events posted live. */
const at = (position: number): number => Date.UTC(2025, 0, 15) + position * 60_000;
const entry = (position: number, fields: Partial<StateEntry> = {}): StateEntry => ({
  allowed: true,
  status: 'granted',
  legalBasis: 'consent',
  expiresAtMs: Infinity,
  sinceMs: at(position),
  position,
  ...fields,
});
const state = (subjectId: string, purpose: string, value: StateEntry | null): StateRecord => ({ subjectId, purpose, entry: value });
const aliceNewsletter = (allowed: boolean, status: string) => ({ subjectId: 'alice', purpose: 'newsletter', allowed, status });
const event = (type: string, subjectId: string, purpose: string | null, position: number, occurredAtMs = at(position)): LedgerEvent => ({
  eventId: `evt-${position}`,
  type,
  subjectId,
  purpose,
  occurredAtMs,
  position,
});

describe('ConsentCache', () => {
  let cache: ConsentCache;
  beforeEach(() => {
    cache = new ConsentCache();
  });

  it('answers from the state entry, and no for a pair it does not hold', () => {
    cache.applyState(state('alice', 'newsletter', entry(1)));
    cache.applyState(state('bob', 'newsletter', entry(2, { allowed: false, status: 'refused' })));

    expect(cache.isAllowed('alice', 'newsletter')).toBe(true);
    expect(cache.isAllowed('bob', 'newsletter')).toBe(false);
    expect(cache.isAllowed('carol', 'newsletter')).toBe(false);
    expect(cache.isAllowed('alice', 'ads')).toBe(false);
    expect(cache.size).toBe(2);
  });

  it('ignores a state entry older than the one it holds, and applies one at the same position', () => {
    cache.applyState(state('alice', 'newsletter', entry(10)));

    expect(cache.applyState(state('alice', 'newsletter', entry(9, { allowed: false, status: 'withdrawn' })))).toBeNull();
    expect(cache.isAllowed('alice', 'newsletter')).toBe(true);

    cache.applyEvent(event('ConsentWithdrawn', 'alice', 'newsletter', 11));
    const sameDecisionInFull = cache.applyState(state('alice', 'newsletter', entry(11, { allowed: false, status: 'withdrawn' })));
    expect(sameDecisionInFull).toBeNull();
    expect(cache.applyState(state('alice', 'newsletter', entry(11)))).toEqual(aliceNewsletter(true, 'granted'));
  });

  it('applies a denying event at once, but not one it has already seen or an older one', () => {
    cache.applyState(state('alice', 'newsletter', entry(10)));

    expect(cache.applyEvent(event('ConsentWithdrawn', 'alice', 'newsletter', 10))).toEqual([]);
    expect(cache.applyEvent(event('ConsentWithdrawn', 'alice', 'newsletter', 7))).toEqual([]);
    expect(cache.isAllowed('alice', 'newsletter')).toBe(true);

    expect(cache.applyEvent(event('ConsentWithdrawn', 'alice', 'newsletter', 12))).toEqual([
      { ...aliceNewsletter(false, 'withdrawn'), eventId: 'evt-12' },
    ]);
    expect(cache.isAllowed('alice', 'newsletter')).toBe(false);
    expect(cache.applyEvent(event('ConsentWithdrawn', 'alice', 'newsletter', 12))).toEqual([]);
  });

  it.each([
    ['ConsentRefused', 'refused'],
    ['ObjectionRecorded', 'objected'],
    ['ConsentExpired', 'expired'],
  ])('turns a decision to no on %s', (type, status) => {
    cache.applyState(state('alice', 'offers', entry(1, { legalBasis: 'legitimate_interest', status: 'none' })));

    expect(cache.applyEvent(event(type, 'alice', 'offers', 2))).toEqual([expect.objectContaining({ allowed: false, status })]);
    expect(cache.isAllowed('alice', 'offers')).toBe(false);
  });

  it('ignores a denying event imported late with an occurredAt before the decision it holds, as the ledger does', () => {
    cache.applyState(state('alice', 'newsletter', entry(10)));

    expect(cache.applyEvent(event('ConsentWithdrawn', 'alice', 'newsletter', 11, at(5)))).toEqual([]);
    // The ledger's entry for the pair keeps the grant's since and position.
    expect(cache.applyState(state('alice', 'newsletter', entry(10)))).toBeNull();
    expect(cache.isAllowed('alice', 'newsletter')).toBe(true);
  });

  it('keeps a withdrawal against a state entry the ledger published before it', () => {
    cache.applyState(state('alice', 'newsletter', entry(10)));
    cache.applyEvent(event('ConsentWithdrawn', 'alice', 'newsletter', 12));

    expect(cache.applyState(state('alice', 'newsletter', entry(11, { sinceMs: at(11) })))).toBeNull();
    expect(cache.isAllowed('alice', 'newsletter')).toBe(false);
  });

  it('leaves grants and lifted objections to the state topic', () => {
    cache.applyState(state('alice', 'newsletter', entry(1, { allowed: false, status: 'withdrawn' })));

    expect(cache.applyEvent(event('ConsentGranted', 'alice', 'newsletter', 2))).toEqual([]);
    expect(cache.applyEvent(event('ObjectionLifted', 'alice', 'newsletter', 3))).toEqual([]);
    expect(cache.isAllowed('alice', 'newsletter')).toBe(false);
  });

  it('holds a withdrawal that arrives before the subject has any state entry', () => {
    cache.applyEvent(event('ConsentWithdrawn', 'alice', 'newsletter', 5));
    expect(cache.applyState(state('alice', 'newsletter', entry(4)))).toBeNull();

    expect(cache.isAllowed('alice', 'newsletter')).toBe(false);
  });

  it('forgets a pair on a tombstone', () => {
    cache.applyState(state('alice', 'newsletter', entry(1)));

    expect(cache.applyState(state('alice', 'newsletter', null))).toEqual(aliceNewsletter(false, 'none'));
    expect(cache.isAllowed('alice', 'newsletter')).toBe(false);
    expect(cache.size).toBe(0);
    expect(cache.applyState(state('alice', 'newsletter', null))).toBeNull();
  });

  it('says no once expiresAt has passed, before any ConsentExpired event', () => {
    const now = Date.now();
    cache.applyState(state('alice', 'newsletter', entry(1, { expiresAtMs: now - 1000 })));
    cache.applyState(state('bob', 'newsletter', entry(2, { expiresAtMs: now + 60_000 })));

    expect(cache.isAllowed('alice', 'newsletter')).toBe(false);
    expect(cache.isAllowed('bob', 'newsletter')).toBe(true);
  });

  it('reports a grant that is already lapsed as expired', () => {
    cache.applyState(state('bob', 'newsletter', entry(2)));

    expect(cache.applyState(state('bob', 'newsletter', entry(3, { expiresAtMs: Date.now() - 1000 })))).toEqual({
      subjectId: 'bob',
      purpose: 'newsletter',
      allowed: false,
      status: 'expired',
    });
  });

  it('ends on erasure what rests on consent or legitimate interest, not what rests on a public task', () => {
    cache.applyState(state('alice', 'newsletter', entry(1)));
    cache.applyState(state('alice', 'offers', entry(2, { legalBasis: 'legitimate_interest', status: 'none' })));
    cache.applyState(state('alice', 'census', entry(3, { legalBasis: 'public_task', status: 'none' })));
    cache.applyState(state('bob', 'newsletter', entry(4)));

    const changes = cache.applyEvent(event('SubjectErased', 'alice', null, 5));

    expect(changes.map((change) => change.purpose).sort()).toEqual(['newsletter', 'offers']);
    expect(cache.isAllowed('alice', 'newsletter')).toBe(false);
    expect(cache.isAllowed('alice', 'offers')).toBe(false);
    expect(cache.isAllowed('alice', 'census')).toBe(true);
    expect(cache.isAllowed('bob', 'newsletter')).toBe(true);
  });

  it('lets no entry published before an erasure bring a permission back, whatever its date', () => {
    cache.applyState(state('alice', 'newsletter', entry(1)));
    cache.applyEvent(event('SubjectErased', 'alice', null, 6));

    expect(cache.applyState(state('alice', 'newsletter', entry(5)))).toBeNull();
    expect(cache.isAllowed('alice', 'newsletter')).toBe(false);
    expect(cache.applyEvent(event('SubjectErased', 'alice', null, 6))).toEqual([]);
    const afterTheErasure = entry(7, { allowed: false, status: 'withdrawn' });
    expect(cache.applyState(state('alice', 'newsletter', afterTheErasure))).toEqual(aliceNewsletter(false, 'withdrawn'));
  });

  it('treats its answer as the ledger’s for held pairs and for any subject of a consent purpose', () => {
    cache.applyState(state('alice', 'newsletter', entry(1)));
    cache.applyState(state('alice', 'offers', entry(2, { legalBasis: 'legitimate_interest', status: 'none' })));

    expect(cache.isAuthoritative('alice', 'newsletter')).toBe(true);
    expect(cache.isAuthoritative('bob', 'newsletter')).toBe(true);
    expect(cache.isAuthoritative('alice', 'offers')).toBe(true);
    expect(cache.isAuthoritative('bob', 'offers')).toBe(false);
    expect(cache.isAuthoritative('alice', 'unheard-of')).toBe(false);
  });

  it('keeps each subject apart as slots are reused and the tables grow', () => {
    const subjects = Array.from({ length: 500 }, (_, i) => `subject-${i}`);
    subjects.forEach((subjectId, i) => {
      const decision = i % 2 === 0 ? entry(i) : entry(i, { allowed: false, status: 'refused' });
      cache.applyState(state(subjectId, 'newsletter', decision));
    });
    subjects.filter((_, i) => i % 3 === 0).forEach((subjectId) => cache.applyState(state(subjectId, 'newsletter', null)));
    const newcomers = Array.from({ length: 200 }, (_, i) => `newcomer-${i}`);
    newcomers.forEach((subjectId, i) => cache.applyState(state(subjectId, 'newsletter', entry(1000 + i))));

    subjects.forEach((subjectId, i) => expect(cache.isAllowed(subjectId, 'newsletter')).toBe(i % 3 !== 0 && i % 2 === 0));
    newcomers.forEach((subjectId) => expect(cache.isAllowed(subjectId, 'newsletter')).toBe(true));
    expect(cache.size).toBe(500 - 167 + 200);
  });
});
