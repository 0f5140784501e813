import { ledgerDataSourceOptions } from '@consent-ledger/ledger-store';
import { Command } from 'commander';
import { DataSource } from 'typeorm';
import { diffProjection } from '../ledger/projection-diff';
import { finish, print } from '../output';

/** Operator's check that the state projection is what the log says. */
export function register(program: Command): void {
  program
    .command('rebuild')
    .description('rebuild the consent state projection from the log into a scratch table and compare it with the live one (the live table is not changed)')
    .requiredOption('--diff', 'compare with the live projection (the only mode: a rebuild in place is ProjectionRebuilder\'s job)')
    .option('--database-url <url>', 'Postgres URL (default: DATABASE_URL)', process.env.DATABASE_URL)
    .action(async (options: { databaseUrl?: string }) => {
      if (!options.databaseUrl) throw new Error('no database: pass --database-url or set DATABASE_URL');
      const dataSource = await new DataSource({ ...ledgerDataSourceOptions(options.databaseUrl, 2), migrationsRun: false }).initialize();
      try {
        const diff = await diffProjection(dataSource);
        print(`replayed ${diff.events} subject events into ${diff.rows} state rows`);
        for (const difference of diff.first) print(`≠ ${difference.subjectId} / ${difference.purposeId}: live ${JSON.stringify(difference.live)}, rebuilt ${JSON.stringify(difference.rebuilt)}`);
        finish(diff.differences === 0, diff.differences === 0 ? 'NO DIFFERENCE: the live projection is what the log says' : `${diff.differences} DIFFERENCE(S)`);
      } finally {
        await dataSource.destroy();
      }
    });
}
