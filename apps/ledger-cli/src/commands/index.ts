import { Command } from 'commander';
import * as exportSubject from './export';
import * as rebuild from './rebuild';
import * as rotateMasterKey from './rotate-master-key';
import * as verify from './verify';
import * as verifyProof from './verify-proof';

/** Every command module; each exports `register(program)`. A new command is one file and one line here. */
export const COMMANDS: { register(program: Command): void }[] = [verifyProof, verify, rebuild, exportSubject, rotateMasterKey];
