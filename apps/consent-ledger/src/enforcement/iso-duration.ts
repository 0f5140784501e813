/**
 * An ISO 8601 duration in milliseconds, for the designators with a fixed length: weeks, days, hours,
 * minutes, seconds (`PT5M`, `P1DT12H`, `PT0.5S`, `P2W`). Years and months have no fixed length, so
 * they are refused rather than guessed. Null when `value` is not such a duration.
 */
export function parseIsoDuration(value: string): number | null {
  const match = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d{1,3})?)S)?)?$/.exec(value);
  if (match === null || value === 'P' || value.endsWith('T')) return null;
  const [, weeks = '0', days = '0', hours = '0', minutes = '0', seconds = '0'] = match;
  const ms =
    ((Number(weeks) * 7 + Number(days)) * 24 * 3600 + Number(hours) * 3600 + Number(minutes) * 60) * 1000 +
    Math.round(Number(seconds.replace(',', '.')) * 1000);
  return Number.isSafeInteger(ms) ? ms : null;
}
