import { Body, Controller, Delete, Get, Param, Put, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { AnyApiKey, RequireScope } from '../auth/scopes';
import { PurposeIdPipe } from '../http/path-params';
import { ProblemException } from '../http/problem';
import { PublishPurposeDto } from './dto/publish-purpose.dto';
import { PurposeCatalog } from './purpose-catalog';
import { PublishPurposeMessage, PurposeCommandResult, RetirePurposeMessage } from './purpose-commands';
import { PurposeHistoryView, PurposeVersionView, currentVersionView, historyView } from './purpose-view';

@ApiTags('purposes')
@ApiBearerAuth()
@Controller('v1/purposes')
export class PurposesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly catalog: PurposeCatalog,
  ) {}

  /** 201 for the first version, 200 for a later one or an identical body (a no-op). */
  @Put(':purposeId')
  @RequireScope('purposes:write')
  async publish(
    @Param('purposeId', PurposeIdPipe) purposeId: string,
    @Body() body: PublishPurposeDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PurposeVersionView> {
    const result = await this.commands.execute<PublishPurposeMessage, PurposeCommandResult>(
      new PublishPurposeMessage({ type: 'PublishPurpose', purposeId, ...body }),
    );
    reply.status(result.created ? 201 : 200);
    return currentVersionView(result.purpose);
  }

  /** Retire: no new grants; withdrawals are still accepted. */
  @Delete(':purposeId')
  @RequireScope('purposes:write')
  async retire(@Param('purposeId', PurposeIdPipe) purposeId: string): Promise<PurposeVersionView> {
    const result = await this.commands.execute<RetirePurposeMessage, PurposeCommandResult>(
      new RetirePurposeMessage({ type: 'RetirePurpose', purposeId }),
    );
    return currentVersionView(result.purpose);
  }

  @Get()
  @AnyApiKey()
  async list(): Promise<{ purposes: PurposeVersionView[] }> {
    await this.catalog.ensureCurrent();
    return { purposes: this.catalog.all().map(currentVersionView) };
  }

  @Get(':purposeId')
  @AnyApiKey()
  async get(@Param('purposeId', PurposeIdPipe) purposeId: string): Promise<PurposeHistoryView> {
    await this.catalog.ensureCurrent();
    const purpose = this.catalog.get(purposeId);
    if (!purpose) throw ProblemException.of(404, 'purpose_not_found', `no purpose ${purposeId}`);
    return historyView(purpose);
  }
}
