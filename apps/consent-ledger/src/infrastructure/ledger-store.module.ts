import { Global, Module } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import {
  ApiKeyEntity, ChainVerifier, ConsentProjection, EventStore, IdempotencyStore, PersonalDataCipher, PurposeReadModel,
  ledgerDataSourceOptions,
} from '@consent-ledger/ledger-store';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { resolveMasterKey } from '../config/master-key';
import { SchemaGuard } from './schema-guard';

const fromDataSource = <T>(type: new (dataSource: DataSource) => T) => ({
  provide: type,
  inject: [getDataSourceToken()],
  useFactory: (dataSource: DataSource) => new type(dataSource),
});

/** Postgres, migrated at start, and the ledger-store pieces built on it. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ledgerDataSourceOptions(config.databaseUrl as string, undefined, config.migrationsAuto),
    }),
    TypeOrmModule.forFeature([ApiKeyEntity]),
  ],
  providers: [
    {
      provide: PersonalDataCipher,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new PersonalDataCipher(resolveMasterKey(config.masterKey, config.dataDir)),
    },
    {
      provide: EventStore,
      inject: [getDataSourceToken(), PersonalDataCipher],
      useFactory: (dataSource: DataSource, cipher: PersonalDataCipher) => new EventStore(dataSource, cipher),
    },
    fromDataSource(ChainVerifier),
    fromDataSource(IdempotencyStore),
    fromDataSource(PurposeReadModel),
    { provide: ConsentProjection, useValue: new ConsentProjection() },
    SchemaGuard,
  ],
  exports: [TypeOrmModule, PersonalDataCipher, EventStore, ChainVerifier, IdempotencyStore, PurposeReadModel, ConsentProjection],
})
export class LedgerStoreModule {}
