import { DataSourceOptions } from 'typeorm';
import { ApiKeyEntity } from './entities/api-key.entity';
import { PurposeVersionEntity } from './entities/purpose-version.entity';
import { PurposeEntity } from './entities/purpose.entity';
import { InitialSchema1763870400000 } from './migrations/1763870400000-initial-schema';
import { NotifyAfterCommit1764000000000 } from './migrations/1764000000000-notify-after-commit';
import { TransparencyLog1765300000000 } from './migrations/1765300000000-transparency-log';

export const LEDGER_ENTITIES = [ApiKeyEntity, PurposeEntity, PurposeVersionEntity];
export const LEDGER_MIGRATIONS = [InitialSchema1763870400000, NotifyAfterCommit1764000000000, TransparencyLog1765300000000];

/** Migrations run at start; the schema is never synchronized from entities. */
export function ledgerDataSourceOptions(url: string, poolSize = 20): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: LEDGER_ENTITIES,
    migrations: LEDGER_MIGRATIONS,
    migrationsRun: true,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: poolSize },
  };
}
