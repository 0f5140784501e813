import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { RelayService } from './relay.service';

/**
 * Kafka as the relay last saw it. Always `up` to terminus, which knows no other state that keeps a
 * check passing: Postgres is the source of truth, so a Kafka outage delays publication but leaves the
 * service ready for writes. `state: 'degraded'` and the lag say what is wrong.
 */
@Injectable()
export class KafkaHealthIndicator {
  constructor(
    private readonly relay: RelayService,
    private readonly indicator: HealthIndicatorService,
  ) {}

  check(key: string): HealthIndicatorResult {
    const { role, kafka, lag, lastPublishedAt, lastError } = this.relay.status();
    return this.indicator.check(key).up({ state: kafka, relay: role, lag, lastPublishedAt, lastError });
  }
}
