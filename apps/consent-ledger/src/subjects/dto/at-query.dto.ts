import { IsISO8601, IsOptional } from 'class-validator';

export class AtQueryDto {
  /** An instant: the state as of then, folded from the log by occurredAt. */
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  at?: string;
}
