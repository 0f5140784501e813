import { ApiPropertyOptional } from '@nestjs/swagger';
import { SERVICE_ID_PATTERN } from '@consent-ledger/domain';
import { IsOptional, Matches } from 'class-validator';
import { PageQueryDto } from '../../http/page-query.dto';

/** `after` is a position: the pending events after it. */
export class PendingQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'PT5M', description: 'ISO 8601 duration (W, D, H, M, S); only events recorded at least this long ago. Default PT0S' })
  @IsOptional()
  @Matches(/^P[0-9WDTHMS.,]{1,40}$/, { message: 'olderThan must be an ISO 8601 duration such as PT5M' })
  olderThan?: string;

  @ApiPropertyOptional({ example: 'newsletter-sender' })
  @IsOptional()
  @Matches(SERVICE_ID_PATTERN, { message: 'service must match ^[a-z0-9][a-z0-9._-]{0,63}$' })
  service?: string;
}
