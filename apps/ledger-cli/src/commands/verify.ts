import {
  openNote, parseCheckpoint, parseVerifierKey, verifyConsistency,
} from '@consent-ledger/transparency-log';
import { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { LedgerHttp } from '../ledger/ledger-http';
import { finish, mark, print } from '../output';

interface Options {
  url: string;
  key: string;
  vkey?: string;
  since?: string;
  save?: string;
}

/**
 * The live ledger: its own verify report, its latest checkpoint's signature, and (with --since) a
 * consistency proof from a checkpoint saved earlier, which is what shows history was not rewritten.
 */
export function register(program: Command): void {
  program
    .command('verify')
    .description('verify a live ledger: its verify report, the latest signed checkpoint, and consistency with a checkpoint saved earlier')
    .requiredOption('--url <url>', 'the ledger\'s base URL')
    .requiredOption('--key <apiKey>', 'an API key with audit:read')
    .option('--vkey <vkey>', 'the verifier key obtained independently (default: the one the ledger serves, which proves less)')
    .option('--since <checkpoint.txt>', 'a checkpoint saved earlier: the ledger must prove the latest one extends it')
    .option('--save <checkpoint.txt>', 'where to save the latest checkpoint, for the next --since')
    .action(async (options: Options) => {
      const ledger = new LedgerHttp(options.url, options.key);
      const checks: [boolean, string][] = [];
      const vkey = options.vkey ?? (await ledger.text('/v1/ledger/verifier-key')).trim();
      if (!options.vkey) print('! no --vkey: trusting the verifier key the ledger serves');
      const verifier = parseVerifierKey(vkey);

      const report = await ledger.json<{ valid: boolean; events: number; streams: number; leaves: number; firstInvalid?: unknown }>('/v1/ledger/verify');
      checks.push([report.valid, `ledger verify: ${report.events} events, ${report.streams} streams, ${report.leaves} leaves${report.valid ? '' : `, first failure ${JSON.stringify(report.firstInvalid)}`}`]);

      const note = await ledger.text('/v1/ledger/checkpoint');
      let latest: ReturnType<typeof parseCheckpoint> | undefined;
      try {
        latest = parseCheckpoint(openNote(note, [verifier]));
        checks.push([true, `latest checkpoint signed by ${verifier.name}: size ${latest.size}, root ${latest.rootHash.toString('base64')}`]);
      } catch (error) {
        checks.push([false, `latest checkpoint: ${(error as Error).message}`]);
      }

      if (options.since && latest) {
        try {
          const earlier = parseCheckpoint(openNote(readFileSync(options.since, 'utf8'), [verifier]));
          const { proof } = await ledger.json<{ proof: string[] }>(`/v1/ledger/consistency?from=${earlier.size}&to=${latest.size}`);
          const consistent = verifyConsistency(earlier.size, latest.size, earlier.rootHash, latest.rootHash, proof.map((h) => Buffer.from(h, 'base64')));
          checks.push([consistent, `consistency from the saved checkpoint (size ${earlier.size}) to size ${latest.size}`]);
        } catch (error) {
          checks.push([false, `consistency from ${options.since}: ${(error as Error).message}`]);
        }
      }
      if (options.save && latest) writeFileSync(options.save, note);

      for (const [ok, line] of checks) print(`${mark(ok)} ${line}`);
      const ok = checks.every(([passed]) => passed);
      finish(ok, ok ? 'VERIFIED: the ledger is intact and extends every checkpoint given' : 'NOT VERIFIED');
    });
}
