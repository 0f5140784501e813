import { Logger } from '@nestjs/common';
import { HealthIndicatorResult } from '@nestjs/terminus';

/**
 * Logs each component's transitions, once each: a probe every few seconds against a dead
 * dependency would otherwise log the same error on every probe.
 */
export class ReadinessLog {
  private readonly last = new Map<string, string>();

  constructor(private readonly logger = new Logger('Readiness')) {}

  observe(details: HealthIndicatorResult): void {
    for (const [component, result] of Object.entries(details)) {
      const status = String(result.status);
      const previous = this.last.get(component);
      if (previous === status) continue;
      this.last.set(component, status);
      if (status === 'up') {
        if (previous !== undefined) this.logger.log(`${component} is up again`);
      } else {
        this.logger.warn(`${component} is ${status}: ${String(result.message ?? 'no answer')}`);
      }
    }
  }
}
