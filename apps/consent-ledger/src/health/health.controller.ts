import { Controller, Get, Optional, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../auth/scopes';
import { ProblemException, problem } from '../http/problem';
import { SealerHealthIndicator } from '../proof/sealer.health';
import { KafkaHealthIndicator } from '../relay/kafka.health';
import { PostgresHealthIndicator } from './postgres.health';
import { ReadinessLog } from './readiness-log';

@ApiTags('health')
@Controller('health')
export class HealthController {
  private readonly log = new ReadinessLog();

  constructor(
    private readonly health: HealthCheckService,
    private readonly postgres: PostgresHealthIndicator,
    private readonly sealer: SealerHealthIndicator,
    // Absent when the relay is off.
    @Optional() private readonly kafka?: KafkaHealthIndicator,
  ) {}

  @Get('live')
  @Public()
  @ApiOkResponse({ description: 'the process answers' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /**
   * Ready when Postgres, the source of truth, answers: a write accepted now is durable. Kafka is
   * reported alongside but never makes the service unready (the relay catches up when it returns).
   * The sealer's lag is reported alongside too. A 503 is a problem whose `components` say which dependency is down and why.
   */
  @Get('ready')
  @Public()
  @ApiOkResponse({ description: '`{status: "ok", details: {postgres, kafka?, sealer}}`' })
  @ApiServiceUnavailableResponse({ description: 'a dependency is down; `components` names it' })
  async ready(): Promise<HealthCheckResult> {
    const kafka = this.kafka;
    try {
      const result = await this.health.check([
        () => this.postgres.check('postgres', 2000),
        ...(kafka ? [() => kafka.check('kafka')] : []),
        () => this.sealer.check('sealer'),
      ]);
      this.log.observe(result.details);
      return result;
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const components = (error.getResponse() as HealthCheckResult).details;
      this.log.observe(components);
      const down = Object.entries(components).filter(([, result]) => result.status !== 'up').map(([name]) => name);
      throw new ProblemException({
        ...problem(503, 'not_ready', `not ready: ${down.join(', ')} down`),
        components,
      });
    }
  }
}

