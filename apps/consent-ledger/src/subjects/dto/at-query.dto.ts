import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsInstant } from '../../http/text-validators';

export class AtQueryDto {
  /** An instant: the state as of then, folded from the log by occurredAt. */
  @ApiPropertyOptional({ format: 'date-time', example: '2026-01-01T00:00:00Z', description: 'the state as of this instant (by occurredAt); default now' })
  @IsOptional()
  @IsInstant()
  at?: string;
}
