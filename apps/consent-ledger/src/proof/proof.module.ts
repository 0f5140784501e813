import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { getDataSourceToken } from '@nestjs/typeorm';
import { EventStore, LogSealer } from '@consent-ledger/ledger-store';
import { Kafka, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CheckpointPublisher } from './checkpoint-publisher';
import { LogController } from './log.controller';
import { LogKey } from './log-key';
import { LogReader } from './log-reader';
import { SealerHealthIndicator } from './sealer.health';
import { SealerService } from './sealer.service';

/** The transparency log: the sealer, its signing key (global: the relay signs its messages with it), checkpoints and proofs. */
@Global()
@Module({
  imports: [TerminusModule],
  controllers: [LogController],
  providers: [
    {
      provide: LogKey,
      inject: [APP_CONFIG, getDataSourceToken()],
      useFactory: (config: AppConfig, dataSource: DataSource) => LogKey.resolve(config, dataSource),
    },
    { provide: LogSealer, inject: [EventStore], useFactory: (store: EventStore) => new LogSealer(store) },
    {
      provide: CheckpointPublisher,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        config.kafkaBrokers
          ? new CheckpointPublisher(
              new Kafka({ clientId: 'consent-ledger-sealer', brokers: config.kafkaBrokers, logLevel: logLevel.NOTHING, connectionTimeout: 3_000 }),
              config.kafkaTopicPartitions,
            )
          : undefined,
    },
    LogReader,
    SealerService,
    SealerHealthIndicator,
  ],
  exports: [LogKey, LogReader, SealerService, SealerHealthIndicator],
})
export class ProofModule {}
