import { DataSourceOptions } from 'typeorm';
import { ApiKeyEntity } from './entities/api-key.entity';
import { InitialSchema1763870400000 } from './migrations/1763870400000-initial-schema';
import { NotifyAfterCommit1764000000000 } from './migrations/1764000000000-notify-after-commit';
import { ApiKeyLifecycle1765100000000 } from './migrations/1765100000000-api-key-lifecycle';
import { EventSchemaVersion1765200000000 } from './migrations/1765200000000-event-schema-version';
import { TransparencyLog1765300000000 } from './migrations/1765300000000-transparency-log';
import { RetentionIndexes1765400000000 } from './migrations/1765400000000-retention-indexes';
import { ClosedLoopEnforcement1765500000000 } from './migrations/1765500000000-closed-loop-enforcement';
import { EventTraceParent1765600000000 } from './migrations/1765600000000-event-trace-parent';
import { IdempotencyKeyDigests1765800000000 } from './migrations/1765800000000-idempotency-key-digests';
import { GroupCommit1765900000000 } from './migrations/1765900000000-group-commit';
import { ConsentStateByPurpose1766200000000 } from './migrations/1766200000000-consent-state-by-purpose';

export const LEDGER_ENTITIES = [ApiKeyEntity];
export const LEDGER_MIGRATIONS = [
  InitialSchema1763870400000,
  NotifyAfterCommit1764000000000,
  ApiKeyLifecycle1765100000000,
  EventSchemaVersion1765200000000,
  TransparencyLog1765300000000,
  RetentionIndexes1765400000000,
  ClosedLoopEnforcement1765500000000,
  EventTraceParent1765600000000,
  IdempotencyKeyDigests1765800000000,
  GroupCommit1765900000000,
  ConsentStateByPurpose1766200000000,
];

/**
 * Migrations run at start unless `migrationsRun` is false (several replicas would race on them: a
 * deployment runs them once, before the rollout, with `main.js migrate`); the schema is never
 * synchronized from entities.
 */
export function ledgerDataSourceOptions(url: string, poolSize = 20, migrationsRun = true): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: LEDGER_ENTITIES,
    migrations: LEDGER_MIGRATIONS,
    migrationsRun,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: poolSize },
  };
}
