import { Command, InvalidArgumentError } from 'commander';
import { MasterKeyRotation, PersonalDataCipher, decodeMasterKey } from '@consent-ledger/ledger-store';
import { Pool } from 'pg';

/**
 * `ledger rotate-master-key`: rewraps every stream's data key under CONSENT_MASTER_KEY, opening the ones
 * still under CONSENT_MASTER_KEY_PREVIOUS, while the service runs. The keys come from the environment,
 * never from flags: a command line is visible to every user of the host and kept in shell history.
 * Only counts are printed; no key, wrapped or not, is ever written out.
 */
export function register(program: Command): void {
  program
    .command('rotate-master-key')
    .description(
      'Rewrap every data key under CONSENT_MASTER_KEY (the new key), opening those still under CONSENT_MASTER_KEY_PREVIOUS. ' +
        'Restart every instance with both keys set first, run this, then drop CONSENT_MASTER_KEY_PREVIOUS.',
    )
    .option('--batch-size <streams>', 'streams rewrapped per transaction', positiveInteger, 500)
    .action(async (options: { batchSize: number }, command: Command) => {
      const env = process.env;
      const missing = ['DATABASE_URL', 'CONSENT_MASTER_KEY', 'CONSENT_MASTER_KEY_PREVIOUS'].filter((name) => !env[name]);
      if (missing.length > 0) command.error(`rotate-master-key needs ${missing.join(', ')} in the environment`);
      const cipher = new PersonalDataCipher(
        decodeMasterKey(env.CONSENT_MASTER_KEY as string, 'CONSENT_MASTER_KEY'),
        decodeMasterKey(env.CONSENT_MASTER_KEY_PREVIOUS as string, 'CONSENT_MASTER_KEY_PREVIOUS'),
      );
      const pool = new Pool({ connectionString: env.DATABASE_URL, max: 2, application_name: 'ledger-rotate-master-key' });
      try {
        const report = await new MasterKeyRotation(pool, cipher, options.batchSize).run((progress) =>
          process.stderr.write(`batch ${progress.batches}: ${progress.rewrapped} rewrapped, ${progress.alreadyCurrent} already current\n`),
        );
        process.stdout.write(`${JSON.stringify(report)}\n`);
      } finally {
        await pool.end();
      }
    });
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('a positive integer');
  return parsed;
}
