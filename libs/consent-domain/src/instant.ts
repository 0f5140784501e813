export const MS_PER_DAY = 86_400_000;

/**
 * Date.parse accepts far more than ISO 8601 (RFC 2822, engine-specific formats) and silently rolls
 * over impossible dates, and an offset-less time would be read in the server's zone: evidence needs
 * an unambiguous instant, so only `YYYY-MM-DDTHH:MM[:SS[.fff]](Z|±HH:MM)` is accepted.
 */
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))$/;

/** The instant `value` names, or null when it is not an ISO 8601 date-time with a zone. */
export const parseInstant = (value: string): Date | null => {
  const match = ISO_INSTANT.exec(value);
  if (match === null) return null;
  const [, y, mo, d, h, mi, s = '0', fraction = '', zulu, sign, oh = '0', om = '0'] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number);
  const offsetHours = Number(oh);
  const offsetMinutes = Number(om);
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return null;
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  const local = new Date(0);
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, Number(fraction.padEnd(3, '0').slice(0, 3)));
  // Dates roll 2023-02-30 over to March: a changed day or month means the date does not exist.
  if (local.getUTCFullYear() !== year || local.getUTCMonth() !== month - 1 || local.getUTCDate() !== day) {
    return null;
  }
  const offsetMs = zulu === undefined ? (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000 : 0;
  return new Date(local.getTime() - offsetMs);
};

export const plusDays = (instant: Date, days: number): Date => new Date(instant.getTime() + days * MS_PER_DAY);

/** Stored instants are compared as instants, not strings, so an offset-bearing legacy value still sorts right. */
export const instantMs = (iso: string): number => Date.parse(iso);
