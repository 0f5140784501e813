import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { subjectStreamId } from '@consent-ledger/domain';
import { EnforcementLog, EventStore } from '@consent-ledger/ledger-store';
import canonicalize from 'canonicalize';
import { FastifyReply } from 'fastify';
import { createHash } from 'node:crypto';
import { AuthenticatedRequest } from '../auth/authenticated-request';
import { RequireScope } from '../auth/scopes';
import { EnforcementView, withEnforcements } from '../enforcement/event-enforcements';
import { HistoryEvent, historyView } from '../ledger/event-views';
import { SubjectIdPipe } from '../http/path-params';
import { ProblemException } from '../http/problem';
import { ReceiptIssuer } from '../proof/receipt-issuer';
import { HistoryQueryDto } from './dto/history-query.dto';
import { RecordEventsDto } from './dto/record-events.dto';
import { CONSENT_TOKEN_HEADER } from './consistency-gate';
import { RecordChoicesMessage, RecordChoicesResponse } from './record-choices.message';

@ApiTags('subjects')
@ApiBearerAuth()
@Controller('v1/subjects/:subjectId/events')
export class SubjectEventsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly store: EventStore,
    private readonly enforcements: EnforcementLog,
    private readonly receipts: ReceiptIssuer,
  ) {}

  @Post()
  @HttpCode(201)
  @RequireScope('events:write')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiHeader({ name: 'If-Match', required: false, description: '"<streamVersion>"' })
  record(
    @Param('subjectId', SubjectIdPipe) subjectId: string,
    @Body() body: RecordEventsDto,
    @Req() request: AuthenticatedRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('sec-gpc') secGpc: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RecordChoicesResponse & { receipt: string; consentToken: string }> {
    const actor = request.principal!.keyId;
    const { ip, userAgent, evidence, method } = body.proof ?? {};
    const personal = ip !== undefined || userAgent !== undefined || evidence !== undefined ? { ip, userAgent, evidence } : undefined;
    return this.commands.execute<RecordChoicesMessage, RecordChoicesResponse>(new RecordChoicesMessage(
      {
        type: 'RecordChoices',
        subjectId,
        choices: body.events.map(({ type, purpose, purposeVersion }) => ({ type, purpose, purposeVersion })),
        occurredAt: body.occurredAt,
      },
      { source: body.source, proof: { method, ...(secGpc === '1' ? { gpc: true } : {}) }, personal, actor },
      parseIfMatch(ifMatch),
      idempotencyKey === undefined ? undefined : {
        scope: actor,
        key: validIdempotencyKey(idempotencyKey),
        requestHash: sha256(canonicalize({ subjectId, body, gpc: secGpc === '1', ifMatch: ifMatch ?? null }) as string),
      },
    )).then(async (response) => {
      // The last event's position (a replayed response carries the first one's): a read sending it back sees this write.
      const consentToken = String(response.events[response.events.length - 1].position);
      reply.header(CONSENT_TOKEN_HEADER, consentToken);
      return { ...(await this.receipts.attach(response, body.source)), consentToken };
    });
  }

  @Get()
  @RequireScope('audit:read')
  async history(
    @Param('subjectId', SubjectIdPipe) subjectId: string,
    @Query() query: HistoryQueryDto,
  ): Promise<{ subjectId: string; events: (HistoryEvent & { enforcements: EnforcementView[] })[]; next?: number }> {
    const limit = query.limit ?? 100;
    const events = await this.store.readStream(subjectStreamId(subjectId), { after: query.after, purpose: query.purpose, limit: limit + 1 });
    const page = events.slice(0, limit);
    return {
      subjectId,
      events: await withEnforcements(this.enforcements, page.map(historyView)),
      ...(events.length > limit ? { next: page[page.length - 1].streamVersion } : {}),
    };
  }
}

function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = header.trim().match(/^(?:W\/)?"?(\d{1,9})"?$/);
  if (!match) throw ProblemException.of(400, 'validation_failed', 'If-Match must be "<streamVersion>"', [{ field: 'If-Match', message: 'expected "<streamVersion>"' }]);
  return Number(match[1]);
}

function validIdempotencyKey(key: string): string {
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw ProblemException.of(400, 'validation_failed', 'Idempotency-Key must be 1-255 visible ASCII characters', [{ field: 'Idempotency-Key', message: 'invalid' }]);
  }
  return key;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
