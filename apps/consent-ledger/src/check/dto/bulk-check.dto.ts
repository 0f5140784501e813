import { PURPOSE_ID_PATTERN, SUBJECT_ID_PATTERN } from '@consent-ledger/domain';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Matches } from 'class-validator';

export const MAX_BULK_CHECK = 10_000;

export class BulkCheckDto {
  @ApiProperty({ example: 'newsletter' })
  @IsString()
  @Matches(PURPOSE_ID_PATTERN, { message: 'purpose must match ^[a-z0-9][a-z0-9._-]{0,63}$' })
  purpose: string;

  @ApiProperty({ type: [String], maxItems: MAX_BULK_CHECK, example: ['user-42', 'user-43'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_CHECK, { message: `subjectIds holds at most ${MAX_BULK_CHECK} ids` })
  @IsString({ each: true })
  @Matches(SUBJECT_ID_PATTERN, { each: true, message: 'each subjectId must be 1-128 characters of [A-Za-z0-9._:@+-]' })
  subjectIds: string[];
}
