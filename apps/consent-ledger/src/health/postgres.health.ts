import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';

/**
 * Postgres answers `SELECT 1` within the timeout. Unlike terminus' TypeORM indicator, a failure
 * says why (the driver's message: refused, timed out, not accepting connections).
 */
@Injectable()
export class PostgresHealthIndicator {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly indicator: HealthIndicatorService,
  ) {}

  async check(key: string, timeoutMs: number): Promise<HealthIndicatorResult> {
    const check = this.indicator.check(key);
    const timeout = new AbortController();
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        sleep(timeoutMs, undefined, { signal: timeout.signal }).then(() => {
          throw new Error(`no answer within ${timeoutMs} ms`);
        }),
      ]);
      return check.up();
    } catch (error) {
      return check.down({ message: error instanceof Error ? error.message : String(error) });
    } finally {
      timeout.abort();
    }
  }
}
