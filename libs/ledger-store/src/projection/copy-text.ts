/**
 * Postgres's COPY text format (the default of `COPY … FROM STDIN` and `COPY … TO STDOUT`): a row a
 * line, fields separated by tabs, null written \N, and a backslash, tab, newline or carriage return
 * inside a field escaped with a backslash. Values go through each type's text input and output
 * functions, as a query's text parameters and results do, so a row written here reads back as the
 * same parameters would have given.
 */

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const TO_ESCAPE = /[\\\t\n\r]/;
const ALL_TO_ESCAPE = /[\\\t\n\r]/g;
/** What COPY TO writes: the four above, and \b \f \v for the other control characters it escapes. */
const UNESCAPES: Readonly<Record<string, string>> = { '\\': '\\', t: '\t', n: '\n', r: '\r', b: '\b', f: '\f', v: '\v' };

/** One field of a row for COPY FROM; null and undefined are SQL null. Tested first: most text needs no escape. */
export const copyField = (value: string | number | null | undefined): string =>
  typeof value === 'string'
    ? TO_ESCAPE.test(value) ? value.replace(ALL_TO_ESCAPE, (c) => ESCAPES[c]) : value
    : value === null || value === undefined ? '\\N' : String(value);

/** One field as COPY TO wrote it; null for \N. */
export const fieldOfCopy = (field: string): string | null => {
  if (!field.includes('\\')) return field;
  if (field === '\\N') return null;
  return field.replace(/\\(.)/gs, (_, c: string) => {
    const unescaped = UNESCAPES[c];
    if (unescaped === undefined) throw new Error(`COPY text field with an unexpected escape \\${c}`);
    return unescaped;
  });
};

/**
 * The rows of a COPY TO text stream, as arrays of fields, a chunk's complete rows at a time (a row
 * may span chunks). Newlines inside fields are escaped, so a newline byte always ends a row; it is
 * never part of a multi-byte UTF-8 character, so cutting there never splits one.
 */
export async function* copyRows(stream: AsyncIterable<Buffer>): AsyncGenerator<(string | null)[][]> {
  let rest: Buffer | undefined;
  for await (const chunk of stream) {
    const buffer = rest === undefined ? chunk : Buffer.concat([rest, chunk]);
    const end = buffer.lastIndexOf(0x0a);
    if (end < 0) {
      rest = buffer;
      continue;
    }
    rest = buffer.subarray(end + 1);
    yield buffer
      .toString('utf8', 0, end)
      .split('\n')
      .map((line) => (line.includes('\\') ? line.split('\t').map(fieldOfCopy) : line.split('\t')));
  }
  if (rest !== undefined && rest.length > 0) throw new Error('COPY text stream ended inside a row');
}
