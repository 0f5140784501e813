import { DataSource } from 'typeorm';
import { epochMs, isoInstant } from '@consent-ledger/ledger-store';
import { openStore } from './store-fixture';

const INSTANTS = [
  '2025-03-01T10:00:00.000Z',
  '2024-02-29T23:59:59.999Z',
  '1999-12-31T00:00:00.001Z',
  '2026-06-04T08:00:00.120Z',
  '0999-01-01T00:00:00.000Z',
];

/** The readers select instants as text; it must be exactly what Date#toISOString would have given. */
describe('isoInstant', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    ({ dataSource } = await openStore());
  });
  afterAll(() => dataSource.destroy());

  it.each(INSTANTS)('formats %s as toISOString does, whatever the session time zone', async (instant) => {
    await dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL TIME ZONE 'America/St_Johns'`);
      const [{ text }] = await manager.query(`SELECT ${isoInstant('$1::timestamptz')} AS text`, [instant]);
      expect(text).toBe(new Date(instant).toISOString());
    });
  });

  it('truncates microseconds as a Date read by pg does', async () => {
    const [{ text, date }] = await dataSource.query(
      `SELECT ${isoInstant('$1::timestamptz')} AS text, $1::timestamptz AS date`, ['2025-05-05T08:00:00.123987Z']);
    expect(text).toBe((date as Date).toISOString());
  });
});

/** The bulk check selects expiries as epoch ms: the same instant as the ISO text gives, to the millisecond. */
describe('epochMs', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    ({ dataSource } = await openStore());
  });
  afterAll(() => dataSource.destroy());

  it.each([...INSTANTS, '2025-05-05T08:00:00.123987Z', '1969-12-31T23:59:59.999500Z'])('reads %s as isoInstant then Date.parse would', async (instant) => {
    const [{ ms, text }] = await dataSource.query(`SELECT ${epochMs('$1::timestamptz')} AS ms, ${isoInstant('$1::timestamptz')} AS text`, [instant]);
    expect(Number(ms)).toBe(Date.parse(text));
  });
});
