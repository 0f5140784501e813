import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { IsInstant } from '../../http/text-validators';

export class AtQueryDto {
  /** An instant: the state as of then, folded from the log by occurredAt. */
  @ApiPropertyOptional({ format: 'date-time', example: '2026-01-01T00:00:00Z', description: 'the state as of this instant (by occurredAt); default now' })
  @IsOptional()
  @IsInstant()
  at?: string;

  /** A consistency token from a 201 (also accepted as the Consent-Token header). */
  @ApiPropertyOptional({ example: '1042', description: 'answer only from state at least as fresh as this event position (a 201\'s consentToken)' })
  @IsOptional()
  @IsString()
  minPosition?: string;
}
