import { PURPOSE_ID_PATTERN } from '@consent-ledger/domain';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export class HistoryQueryDto {
  @IsOptional()
  @Matches(PURPOSE_ID_PATTERN)
  purpose?: string;

  /** A streamVersion: events after it. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}
