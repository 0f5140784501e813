import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DENYING_EVENT_TYPES } from '@consent-ledger/domain';
import { EnforcementLog, UnenforcedEvent } from '@consent-ledger/ledger-store';
import { FastifyReply } from 'fastify';
import { AuthenticatedRequest } from '../auth/authenticated-request';
import { RequireScope } from '../auth/scopes';
import { problem, ProblemException } from '../http/problem';
import { AcknowledgeBatchDto, AcknowledgeDto } from './dto/acknowledge.dto';
import { PendingQueryDto } from './dto/pending-query.dto';
import { EnforcementClock } from './enforcement-clock';
import { EnforcementRecorder, RecordedEnforcement, RejectedAcknowledgement } from './enforcement-recorder';
import { parseIsoDuration } from './iso-duration';

type EnforcementBody = Omit<RecordedEnforcement, 'created'>;

@ApiTags('enforcement')
@ApiBearerAuth()
@Controller('v1')
export class EnforcementsController {
  constructor(
    private readonly recorder: EnforcementRecorder,
    private readonly log: EnforcementLog,
    private readonly clock: EnforcementClock,
  ) {}

  /** 201 for the first acknowledgement of (event, service); 200 and the first one, unchanged, for a repeat. */
  @Post('enforcements')
  @RequireScope('enforcements:write')
  async acknowledge(
    @Body() body: AcknowledgeDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EnforcementBody> {
    const { enforcements, rejected } = await this.recorder.acknowledge(request.principal!, body.service, [body]);
    if (rejected.length > 0) throw rejectedProblem(rejected[0]);
    const { created, ...enforcement } = enforcements[0];
    reply.status(created ? 201 : 200);
    return enforcement;
  }

  /**
   * Many acknowledgements of one service in one request (what the SDK sends). Each is judged on its own:
   * the refused ones are listed with their problem, the others recorded.
   */
  @Post('enforcements/batch')
  @HttpCode(200)
  @RequireScope('enforcements:write')
  acknowledgeBatch(
    @Body() body: AcknowledgeBatchDto,
    @Req() request: AuthenticatedRequest,
  ): Promise<{ enforcements: RecordedEnforcement[]; rejected: RejectedAcknowledgement[] }> {
    return this.recorder.acknowledge(request.principal!, body.service, body.acknowledgements);
  }

  /** Denying events recorded at least `olderThan` ago that a service registered for them has not acknowledged. */
  @Get('enforcement/pending')
  @RequireScope('audit:read')
  async pending(@Query() query: PendingQueryDto): Promise<{ asOf: string; pending: UnenforcedEvent[]; next?: number }> {
    const olderThanMs = query.olderThan === undefined ? 0 : parseIsoDuration(query.olderThan);
    if (olderThanMs === null) {
      throw ProblemException.of(400, 'validation_failed', 'the request has invalid fields', [
        { field: 'olderThan', message: 'olderThan must be an ISO 8601 duration in weeks, days, hours, minutes or seconds, such as PT5M' },
      ]);
    }
    const now = this.clock.now();
    const limit = query.limit ?? 100;
    const events = await this.log.pending({
      denyingTypes: DENYING_EVENT_TYPES,
      recordedUntil: new Date(now.getTime() - olderThanMs),
      service: query.service,
      afterPosition: query.after ?? 0,
      limit: limit + 1,
    });
    const page = events.slice(0, limit);
    return {
      asOf: now.toISOString(),
      pending: page,
      ...(events.length > limit ? { next: page[page.length - 1].position } : {}),
    };
  }
}

function rejectedProblem({ status, code, detail }: RejectedAcknowledgement): ProblemException {
  const field = code === 'event_not_found' || code === 'event_not_enforceable' ? 'eventId' : 'enforcedAt';
  return new ProblemException(problem(status, code, detail, [{ field, message: detail }]));
}
