import { Body, Controller, Get, Headers, HttpCode, Post, Query, Req } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { FastifyRequest } from 'fastify';
import { RequireScope } from '../auth/scopes';
import { BulkDecision, ConsentReader } from '../subjects/consent-reader';
import { CONSENT_TOKEN_HEADER, minPositionOf } from '../subjects/consistency-gate';
import { BULK_CHECK_SCHEMA, BulkCheckBody } from './bulk-check.schema';
import { CHECK_QUERY_SCHEMA, CHECK_RESULT_SCHEMA, CheckQuery, CheckResult } from './check-query.schema';

const CONSENT_TOKEN_PARAMETER = "answer only from state at least as fresh as this event position (a 201's consentToken; also the Consent-Token header)";

/** "May I?" before processing: the hot path, one indexed read of the projection. */
@ApiTags('check')
@ApiBearerAuth()
@Controller('v1/check')
export class CheckController {
  constructor(private readonly reader: ConsentReader) {}

  /**
   * The request itself is the only parameter: @Query() and @Headers() would each go through the global
   * validation pipe, which the route schema makes redundant. The answer is serialized by the compiled
   * response schema (fast-json-stringify).
   */
  @Get()
  @RequireScope('consents:read')
  @RouteSchema({ querystring: CHECK_QUERY_SCHEMA, response: { 200: CHECK_RESULT_SCHEMA } })
  @ApiQuery({ name: 'subjectId', type: String, example: 'user-42' })
  @ApiQuery({ name: 'purpose', type: String, example: 'newsletter' })
  @ApiQuery({ name: 'minPosition', type: String, required: false, example: '1042', description: CONSENT_TOKEN_PARAMETER })
  @ApiOkResponse({ schema: CHECK_RESULT_SCHEMA as unknown as SchemaObject })
  async check(@Req() request: FastifyRequest<{ Querystring: CheckQuery }>): Promise<CheckResult> {
    const { query } = request;
    const token = request.headers[CONSENT_TOKEN_HEADER] as string | undefined;
    const entry = await this.reader.check(query.subjectId, query.purpose, minPositionOf(query.minPosition, token));
    return { subjectId: query.subjectId, purpose: query.purpose, allowed: entry.allowed, status: entry.status, reason: entry.reason };
  }

  /** A whole send list at once. */
  @Post()
  @HttpCode(200)
  @RequireScope('consents:read')
  @RouteSchema({ body: BULK_CHECK_SCHEMA })
  @ApiBody({ schema: BULK_CHECK_SCHEMA as unknown as SchemaObject })
  @ApiQuery({ name: 'minPosition', type: String, required: false, example: '1042', description: CONSENT_TOKEN_PARAMETER })
  checkMany(
    @Body() body: BulkCheckBody,
    @Query('minPosition') minPosition: string | undefined,
    @Headers(CONSENT_TOKEN_HEADER) token: string | undefined,
  ): Promise<BulkDecision> {
    return this.reader.checkMany(body.purpose, body.subjectIds, minPositionOf(minPosition, token));
  }
}
