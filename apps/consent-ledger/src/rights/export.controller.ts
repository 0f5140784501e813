import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Readable } from 'node:stream';
import { RequireScope } from '../auth/scopes';
import { SubjectIdPipe } from '../http/path-params';
import { ExportQueryDto } from './dto/export-query.dto';
import { Iso27560Export } from './iso27560-export';
import { SubjectExport } from './subject-export';

@ApiTags('rights')
@ApiBearerAuth()
@Controller('v1/subjects/:subjectId/export')
export class ExportController {
  constructor(
    private readonly json: SubjectExport,
    private readonly iso27560: Iso27560Export,
  ) {}

  /**
   * Streamed: the body is written as the events are read, so its size is not bounded by memory. A
   * failure after the first byte can only cut the body short (invalid JSON), never answer a partial
   * document as complete.
   */
  @Get()
  @RequireScope('audit:read')
  @ApiProduces('application/json', 'application/ld+json')
  async export(@Param('subjectId', SubjectIdPipe) subjectId: string, @Query() query: ExportQueryDto): Promise<StreamableFile> {
    const target = await this.json.target(subjectId);
    const iso = query.format === 'iso27560';
    const chunks = iso ? this.iso27560.records(target) : this.json.json(target);
    return new StreamableFile(Readable.from(chunks), {
      type: iso ? 'application/ld+json; charset=utf-8' : 'application/json; charset=utf-8',
      disposition: `attachment; filename="${subjectId}${iso ? '.iso27560.jsonld' : '.json'}"`,
    });
  }
}
