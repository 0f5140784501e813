import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Kafka, logLevel } from 'kafkajs';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { LogKey } from '../proof/log-key';
import { messageSigner } from '../proof/message-signer';
import { KafkaHealthIndicator } from './kafka.health';
import { KafkaPublisher } from './kafka-publisher';
import { RelayService } from './relay.service';
import { StateEntries } from './state-entries';

/** The outbox relay to Kafka and its health; AppModule imports it only where Kafka brokers are configured. */
@Module({
  imports: [TerminusModule],
  providers: [
    {
      provide: KafkaPublisher,
      inject: [APP_CONFIG, LogKey],
      useFactory: (config: AppConfig, key: LogKey) =>
        new KafkaPublisher(
          new Kafka({
            clientId: 'consent-ledger-relay',
            brokers: config.kafkaBrokers ?? [],
            // The relay logs its own failures, once per outage rather than once per retry.
            logLevel: logLevel.NOTHING,
            connectionTimeout: 3_000,
            // Short: the relay's own backoff takes over once these are spent.
            retry: { initialRetryTime: 100, maxRetryTime: 1_000, retries: 3 },
          }),
          config.kafkaTopicPartitions,
          messageSigner(key),
        ),
    },
    StateEntries,
    RelayService,
    KafkaHealthIndicator,
  ],
  exports: [RelayService, KafkaHealthIndicator],
})
export class KafkaModule {}
