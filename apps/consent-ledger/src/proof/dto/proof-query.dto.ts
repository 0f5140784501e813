import { PURPOSE_ID_PATTERN } from '@consent-ledger/domain';
import { IsISO8601, IsOptional, Matches } from 'class-validator';

export class ProofQueryDto {
  @Matches(PURPOSE_ID_PATTERN, { message: 'purpose must match ^[a-z0-9][a-z0-9._-]{0,63}$' })
  purpose: string;

  /** The instant the decision is proven for; default now. */
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  at?: string;
}
