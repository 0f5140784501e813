import { Body, Controller, Get, Headers, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DecisionReason } from '@consent-ledger/domain';
import { RequireScope } from '../auth/scopes';
import { BulkDecision, ConsentReader } from '../subjects/consent-reader';
import { CONSENT_TOKEN_HEADER, minPositionOf } from '../subjects/consistency-gate';
import { BulkCheckDto } from './dto/bulk-check.dto';
import { CheckQueryDto } from './dto/check-query.dto';

export interface CheckResult {
  subjectId: string;
  purpose: string;
  allowed: boolean;
  status: string;
  reason: DecisionReason;
}

/** "May I?" before processing: the hot path, one indexed read of the projection. */
@ApiTags('check')
@ApiBearerAuth()
@Controller('v1/check')
export class CheckController {
  constructor(private readonly reader: ConsentReader) {}

  @Get()
  @RequireScope('consents:read')
  async check(@Query() query: CheckQueryDto, @Headers(CONSENT_TOKEN_HEADER) token: string | undefined): Promise<CheckResult> {
    const entry = await this.reader.check(query.subjectId, query.purpose, minPositionOf(query.minPosition, token));
    return { subjectId: query.subjectId, purpose: query.purpose, allowed: entry.allowed, status: entry.status, reason: entry.reason };
  }

  /** A whole send list at once. */
  @Post()
  @HttpCode(200)
  @RequireScope('consents:read')
  @ApiQuery({ name: 'minPosition', required: false, type: String, description: 'answer only from state at least as fresh as this event position (also the Consent-Token header)' })
  checkMany(
    @Body() body: BulkCheckDto,
    @Query('minPosition') minPosition: string | undefined,
    @Headers(CONSENT_TOKEN_HEADER) token: string | undefined,
  ): Promise<BulkDecision> {
    return this.reader.checkMany(body.purpose, body.subjectIds, minPositionOf(minPosition, token));
  }
}
