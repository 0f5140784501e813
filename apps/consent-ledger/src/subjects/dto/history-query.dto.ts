import { ApiPropertyOptional } from '@nestjs/swagger';
import { PURPOSE_ID_PATTERN } from '@consent-ledger/domain';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { PageQueryDto } from '../../http/page-query.dto';

/** stream_version is a Postgres integer. */
const MAX_STREAM_VERSION = 2_147_483_647;

/** `after` is a streamVersion: the events after it. */
export class HistoryQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ type: Number, minimum: 0, maximum: MAX_STREAM_VERSION, description: 'a streamVersion: the events after it (`next` of the previous page)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_STREAM_VERSION)
  declare after?: number;

  @ApiPropertyOptional({ pattern: PURPOSE_ID_PATTERN.source, description: 'only the events of this purpose' })
  @IsOptional()
  @Matches(PURPOSE_ID_PATTERN)
  purpose?: string;
}
