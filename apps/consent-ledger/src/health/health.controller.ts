import { Controller, Get, Optional } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/scopes';
import { KafkaHealthIndicator } from '../relay/kafka.health';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    // Absent when the relay is off.
    @Optional() private readonly kafka?: KafkaHealthIndicator,
  ) {}

  @Get('live')
  @Public()
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /**
   * Ready when Postgres, the source of truth, answers: a write accepted now is durable. Kafka is
   * reported alongside but never makes the service unready (the relay catches up when it returns).
   */
  @Get('ready')
  @Public()
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    const kafka = this.kafka;
    return this.health.check([
      () => this.database.pingCheck('postgres', { timeout: 2000 }),
      ...(kafka ? [() => kafka.check('kafka')] : []),
    ]);
  }
}
