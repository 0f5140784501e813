import { MalformedRecordError, parseLedgerEvent, parseStateRecord } from '../src/ledger-records';
import { eventRecord, occurredAt, stateRecord } from './support/ledger-records';

const bytes = (value: string | Buffer | null | undefined): Buffer | null =>
  value === null || value === undefined ? null : Buffer.from(value);
const EXPIRES_AT = '2026-02-15T10:00:00.000Z';

describe('ledger records', () => {
  it('reads a state entry, taking the pair from the key, where a subject id may hold colons', () => {
    const record = stateRecord('device:42', 'newsletter', { allowed: true, status: 'granted', position: 7, expiresAt: EXPIRES_AT });

    expect(parseStateRecord(bytes(record.key), bytes(record.value))).toEqual({
      subjectId: 'device:42',
      purpose: 'newsletter',
      entry: {
        allowed: true,
        status: 'granted',
        legalBasis: 'consent',
        expiresAtMs: Date.parse(EXPIRES_AT),
        sinceMs: Date.parse(occurredAt(7)),
        position: 7,
      },
    });
  });

  it('reads a null value as a tombstone, and a null expiresAt as never', () => {
    expect(parseStateRecord(Buffer.from('ads:alice'), null)).toEqual({ subjectId: 'alice', purpose: 'ads', entry: null });
    const record = stateRecord('alice', 'ads', { allowed: false, status: 'refused', position: 1 });
    expect(parseStateRecord(bytes(record.key), bytes(record.value)).entry?.expiresAtMs).toBe(Infinity);
  });

  it('accepts a position sent as a bigint string', () => {
    const position = '9007199254740991';
    const event = JSON.stringify({ eventId: 'e1', type: 'SubjectErased', subjectId: 'alice', occurredAt: occurredAt(1), position });

    expect(parseLedgerEvent(Buffer.from(event))).toEqual(
      expect.objectContaining({ type: 'SubjectErased', purpose: null, position: Number.MAX_SAFE_INTEGER }),
    );
  });

  it('reads an event', () => {
    const record = eventRecord({ type: 'ConsentWithdrawn', subjectId: 'alice', purpose: 'newsletter', position: 3 });

    expect(parseLedgerEvent(bytes(record.value))).toEqual({
      eventId: 'evt-3',
      type: 'ConsentWithdrawn',
      subjectId: 'alice',
      purpose: 'newsletter',
      occurredAtMs: Date.parse(occurredAt(3)),
      position: 3,
    });
  });

  it.each([
    ['a key without purpose', 'alice', '{}'],
    ['a value that is not JSON', 'ads:alice', 'nope'],
    ['an unknown status', 'ads:alice', JSON.stringify({ allowed: true, status: 'maybe', legalBasis: 'consent', position: 1 })],
    ['a missing position', 'ads:alice', JSON.stringify({ allowed: true, status: 'granted', legalBasis: 'consent' })],
    ['a bad expiresAt', 'ads:alice', JSON.stringify({ allowed: true, status: 'granted', legalBasis: 'consent', position: 1, expiresAt: 'x' })],
  ])('rejects a state record with %s', (_case, key, value) => {
    expect(() => parseStateRecord(Buffer.from(key), Buffer.from(value))).toThrow(MalformedRecordError);
  });

  it.each([
    ['an id', { type: 'ConsentWithdrawn', subjectId: 'a', occurredAt: occurredAt(1), position: 1 }],
    ['an occurredAt', { eventId: 'e1', type: 'ConsentWithdrawn', subjectId: 'a', position: 1 }],
  ])('rejects an event without %s', (_case, event) => {
    expect(() => parseLedgerEvent(Buffer.from(JSON.stringify(event)))).toThrow(MalformedRecordError);
  });
});
