import 'reflect-metadata';
import { createProgram } from './program';

/** `npm run ledger -- <command>`: the auditor's and operator's command line. */
createProgram()
  .parseAsync(process.argv)
  .catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.message : error}\n`);
    process.exitCode = 2;
  });
