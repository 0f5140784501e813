import { Global, Module } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import {
  ApiKeyEntity, ChainVerifier, ConsentStateGateway, EnforcementLog, EventStore, IdempotencyStore, PersonalDataCipher,
  PurposeReadModel, ServiceRegistry, SubjectStreams, ledgerDataSourceOptions, pgPoolOf,
} from '@consent-ledger/ledger-store';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { resolveMasterKey, resolvePreviousMasterKey } from '../config/master-key';
import { handleConnectionErrors } from './pg-connection-errors';
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
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        handleConnectionErrors(pgPoolOf(dataSource));
        return dataSource;
      },
    }),
    TypeOrmModule.forFeature([ApiKeyEntity]),
  ],
  providers: [
    {
      provide: PersonalDataCipher,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new PersonalDataCipher(resolveMasterKey(config.masterKey, config.dataDir), resolvePreviousMasterKey(config.masterKeyPrevious)),
    },
    {
      provide: EventStore,
      inject: [getDataSourceToken(), PersonalDataCipher],
      useFactory: (dataSource: DataSource, cipher: PersonalDataCipher) => new EventStore(dataSource, cipher),
    },
    fromDataSource(ChainVerifier),
    fromDataSource(IdempotencyStore),
    fromDataSource(PurposeReadModel),
    fromDataSource(ConsentStateGateway),
    fromDataSource(ServiceRegistry),
    fromDataSource(EnforcementLog),
    {
      provide: SubjectStreams,
      inject: [EventStore, ConsentStateGateway, PurposeReadModel],
      useFactory: (store: EventStore, gateway: ConsentStateGateway, purposes: PurposeReadModel) => new SubjectStreams(store, gateway, purposes),
    },
    SchemaGuard,
  ],
  exports: [TypeOrmModule, PersonalDataCipher, EventStore, ChainVerifier, IdempotencyStore, PurposeReadModel,
    ConsentStateGateway, SubjectStreams, ServiceRegistry, EnforcementLog],
})
export class LedgerStoreModule {}
