import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { SealerService } from './sealer.service';

/**
 * The transparency log as the latest sealing pass measured it. Always `up` to terminus: an event not
 * yet sealed is durable and checkable, it only waits for its inclusion proof; the lag says how long.
 */
@Injectable()
export class SealerHealthIndicator {
  constructor(
    private readonly sealer: SealerService,
    private readonly indicator: HealthIndicatorService,
  ) {}

  check(key: string): HealthIndicatorResult {
    const status = this.sealer.status();
    return this.indicator.check(key).up(status ? { lag: status.lag, treeSize: status.treeSize, checkpointSignedAt: status.checkpointSignedAt } : { lag: null });
  }
}
