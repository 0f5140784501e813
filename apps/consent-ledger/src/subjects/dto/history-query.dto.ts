import { PURPOSE_ID_PATTERN } from '@consent-ledger/domain';
import { IsOptional, Matches } from 'class-validator';
import { PageQueryDto } from '../../http/page-query.dto';

/** `after` is a streamVersion: the events after it. */
export class HistoryQueryDto extends PageQueryDto {
  @IsOptional()
  @Matches(PURPOSE_ID_PATTERN)
  purpose?: string;
}
