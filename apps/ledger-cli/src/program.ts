import { Command } from 'commander';
import { COMMANDS } from './commands';

export function createProgram(): Command {
  const program = new Command('ledger')
    .description('consent-ledger command line: verify proofs and the live ledger without trusting the operator, rebuild, export')
    .showHelpAfterError();
  for (const command of COMMANDS) command.register(program);
  return program;
}
