import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class DailyCountsQueryDto {
  /** How many UTC days, ending today, the counts cover. */
  @ApiPropertyOptional({ minimum: 1, maximum: 366, default: 30, description: 'UTC days ending today (1-366)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(366)
  days?: number;
}
