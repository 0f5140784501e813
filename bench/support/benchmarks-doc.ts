import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const DOC = join(process.cwd(), 'BENCHMARKS.md');
const BEGIN = '<!-- latest:begin -->';
const END = '<!-- latest:end -->';

/**
 * Puts a full run's table into BENCHMARKS.md between its markers, so the document never quotes
 * numbers from another run than the one in bench/results/latest.*. The prose around it (what
 * holds, why) is written by hand, from those numbers.
 */
export async function updateBenchmarksDoc(table: string): Promise<boolean> {
  if (!existsSync(DOC)) return false;
  const doc = await readFile(DOC, 'utf8');
  const begin = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (begin < 0 || end < begin) return false;
  await writeFile(DOC, `${doc.slice(0, begin + BEGIN.length)}\n${table}${doc.slice(end)}`);
  return true;
}
