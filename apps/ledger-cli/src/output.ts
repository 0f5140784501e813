/** What commands print, and their exit status: 0 verified, 1 not verified, 2 could not run. */
export const print = (line = '') => process.stdout.write(`${line}\n`);

export function finish(ok: boolean, verdict: string): void {
  print(verdict);
  process.exitCode = ok ? 0 : 1;
}

export const mark = (ok: boolean) => (ok ? '✓' : '✗');
