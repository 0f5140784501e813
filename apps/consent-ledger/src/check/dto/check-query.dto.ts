import { PURPOSE_ID_PATTERN, SUBJECT_ID_PATTERN } from '@consent-ledger/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';

export class CheckQueryDto {
  @ApiProperty({ example: 'user-42' })
  @IsString()
  @Matches(SUBJECT_ID_PATTERN, { message: 'subjectId must be 1-128 characters of [A-Za-z0-9._:@+-]' })
  subjectId: string;

  @ApiProperty({ example: 'newsletter' })
  @IsString()
  @Matches(PURPOSE_ID_PATTERN, { message: 'purpose must match ^[a-z0-9][a-z0-9._-]{0,63}$' })
  purpose: string;

  @ApiPropertyOptional({ example: '1042', description: 'answer only from state at least as fresh as this event position (a 201\'s consentToken; also the Consent-Token header)' })
  @IsOptional()
  @IsString()
  minPosition?: string;
}
