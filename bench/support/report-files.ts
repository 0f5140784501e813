import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchReport } from './bench-report';
import { markdownReport } from './markdown-table';

/** Where results land, relative to the repository root (npm scripts run there). */
export const RESULTS_DIR = join(process.cwd(), 'bench', 'results');

/**
 * Rewritten after every figure, so a run that dies late still leaves what it measured. `name` is
 * 'latest' for a full run; quick and partial runs write under their own name so that they never
 * overwrite the committed results of a full run.
 */
export async function writeReportFiles(report: BenchReport, name: string): Promise<{ json: string; markdown: string }> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const json = join(RESULTS_DIR, `${name}.json`);
  const markdown = join(RESULTS_DIR, `${name}.md`);
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(markdown, markdownReport(report));
  return { json, markdown };
}
