import { copyField, copyRows } from '../src/projection/copy-text';

const rowsOf = async (chunks: Buffer[]) => {
  const rows: (string | null)[][] = [];
  for await (const batch of copyRows((async function* () { yield* chunks; })())) rows.push(...batch);
  return rows;
};

describe('COPY text format', () => {
  const fields = ['plain', 'tab\there', 'new\nline', 'carriage\rreturn', 'back\\slash', '\\N', 'snow☃man😀', '', null];
  const text = `${fields.map(copyField).join('\t')}\n${copyField('second')}\t${copyField(42)}\n`;

  it('reads back what it writes, whatever the chunks a row or a character is cut into', async () => {
    const bytes = Buffer.from(text);
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(await rowsOf([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual([fields, ['second', '42']]);
    }
    expect(await rowsOf([...bytes].map((byte) => Buffer.from([byte])))).toEqual([fields, ['second', '42']]);
  });

  it('reads the escapes COPY TO writes for other control characters, and refuses one it never writes', async () => {
    expect(await rowsOf([Buffer.from('a\\bb\\fc\\vd\n')])).toEqual([['a\bb\fc\vd']]);
    await expect(rowsOf([Buffer.from('a\\x41\n')])).rejects.toThrow(/unexpected escape/);
  });

  it('refuses a stream that ends inside a row', async () => {
    await expect(rowsOf([Buffer.from('complete\npartial')])).rejects.toThrow(/inside a row/);
  });
});
