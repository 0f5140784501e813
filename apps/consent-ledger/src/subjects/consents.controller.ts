import { Controller, Get, Headers, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ConsentEntry } from '@consent-ledger/domain';
import { RequireScope } from '../auth/scopes';
import { PurposeIdPipe, SubjectIdPipe } from '../http/path-params';
import { ProblemException } from '../http/problem';
import { ConsentReader, ConsentsView } from './consent-reader';
import { CONSENT_TOKEN_HEADER, minPositionOf } from './consistency-gate';
import { AtQueryDto } from './dto/at-query.dto';

@ApiTags('subjects')
@ApiBearerAuth()
@Controller('v1/subjects/:subjectId/consents')
export class ConsentsController {
  constructor(private readonly reader: ConsentReader) {}

  @Get()
  @RequireScope('consents:read')
  consents(
    @Param('subjectId', SubjectIdPipe) subjectId: string,
    @Query() query: AtQueryDto,
    @Headers(CONSENT_TOKEN_HEADER) token: string | undefined,
  ): Promise<ConsentsView> {
    return this.reader.consents(subjectId, query.at ? new Date(query.at) : undefined, minPositionOf(query.minPosition, token));
  }

  @Get(':purposeId')
  @RequireScope('consents:read')
  async consent(
    @Param('subjectId', SubjectIdPipe) subjectId: string,
    @Param('purposeId', PurposeIdPipe) purposeId: string,
    @Query() query: AtQueryDto,
    @Headers(CONSENT_TOKEN_HEADER) token: string | undefined,
  ): Promise<ConsentEntry & { subjectId: string; asOf: string; streamVersion: number }> {
    const view = await this.reader.consents(subjectId, query.at ? new Date(query.at) : undefined, minPositionOf(query.minPosition, token));
    const entry = view.consents.find((c) => c.purpose === purposeId);
    if (!entry) throw ProblemException.of(404, 'purpose_not_found', `no purpose ${purposeId}`);
    return { subjectId, asOf: view.asOf, streamVersion: view.streamVersion, ...entry };
  }
}
