import { DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import { AccessControl } from './auth/access-control';
import { AccessRules } from './auth/access-rules';
import { ApiKeyService } from './auth/api-key.service';
import { ApiKeysController } from './auth/api-keys.controller';
import { CheckController } from './check/check.controller';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { EnforcementClock } from './enforcement/enforcement-clock';
import { EnforcementMetricsSource } from './enforcement/enforcement-metrics';
import { EnforcementRecorder } from './enforcement/enforcement-recorder';
import { EnforcementsController } from './enforcement/enforcements.controller';
import { ServicesController } from './enforcement/services.controller';
import { ExpiryScheduler } from './expiry/expiry-scheduler';
import { HealthController } from './health/health.controller';
import { PostgresHealthIndicator } from './health/postgres.health';
import { GracefulShutdown } from './http/graceful-shutdown';
import { RateLimit } from './http/rate-limit';
import { LedgerStoreModule } from './infrastructure/ledger-store.module';
import { LedgerController } from './ledger/ledger.controller';
import { MetricsModule } from './metrics/metrics.module';
import { PurposeCommandExecutor } from './purposes/purpose-command.executor';
import { PublishPurposeHandler, RetirePurposeHandler } from './purposes/purpose-command.handler';
import { PurposeCatalog } from './purposes/purpose-catalog';
import { PurposesController } from './purposes/purposes.controller';
import { ProofModule } from './proof/proof.module';
import { ProofBuilder } from './proof/proof-builder';
import { ReceiptIssuer } from './proof/receipt-issuer';
import { SubjectProofController } from './proof/subject-proof.controller';
import { KafkaModule } from './relay/kafka.module';
import { RIGHTS_CONTROLLERS, RIGHTS_PROVIDERS } from './rights/rights';
import { ConsentReader } from './subjects/consent-reader';
import { ConsentsController } from './subjects/consents.controller';
import { IdempotencyGate } from './subjects/idempotency-gate';
import { RecordChoicesHandler } from './subjects/record-choices.handler';
import { SubjectEventsController } from './subjects/subject-events.controller';
import { SubjectStreamWriter } from './subjects/subject-stream-writer';

@Global()
@Module({})
class ConfigModule {
  static of(config: AppConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] };
  }
}

@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.of(config),
        DiscoveryModule,
        CqrsModule.forRoot(),
        // Failed probes are logged once per transition by HealthController, not on every probe.
        TerminusModule.forRoot({ logger: false }),
        LedgerStoreModule,
        MetricsModule,
        ProofModule,
        ...(config.relayEnabled && config.kafkaBrokers ? [KafkaModule] : []),
      ],
      controllers: [
        ApiKeysController, PurposesController, SubjectEventsController, ConsentsController, CheckController,
        LedgerController, HealthController, SubjectProofController,
        ...RIGHTS_CONTROLLERS,
        ServicesController, EnforcementsController,
      ],
      providers: [
        AccessRules, ApiKeyService, AccessControl, RateLimit, GracefulShutdown, PostgresHealthIndicator, PurposeCatalog, PurposeCommandExecutor, PublishPurposeHandler, RetirePurposeHandler,
        RecordChoicesHandler, IdempotencyGate, ConsentReader, SubjectStreamWriter, ExpiryScheduler,
        ...RIGHTS_PROVIDERS,
        EnforcementClock, EnforcementRecorder, EnforcementMetricsSource,
        ProofBuilder, ReceiptIssuer,
      ],
    };
  }
}
