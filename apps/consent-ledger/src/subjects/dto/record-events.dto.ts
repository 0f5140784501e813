import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CHOICE_TYPES, ChoiceType, PURPOSE_ID_PATTERN } from '@consent-ledger/domain';
import { Type } from 'class-transformer';
import {
  Allow, ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIP, IsIn, IsInt, IsObject, IsOptional, IsString, Length,
  Matches, MaxLength, Min, ValidateNested,
} from 'class-validator';
import { IsInstant, IsStorableText } from '../../http/text-validators';

export class ChoiceDto {
  @ApiProperty({ enum: CHOICE_TYPES, example: 'ConsentGranted' })
  @IsIn(CHOICE_TYPES)
  type: ChoiceType;

  @ApiProperty({ example: 'newsletter' })
  @IsString()
  @Matches(PURPOSE_ID_PATTERN, { message: 'purpose must match ^[a-z0-9][a-z0-9._-]{0,63}$' })
  purpose: string;

  @ApiPropertyOptional({ description: 'the version the person was shown; default: the current one', minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  purposeVersion?: number;
}

export class SourceDto {
  @ApiProperty({ example: 'web', description: 'web, mobile, email, call-centre, import…' })
  @IsString()
  @Length(1, 64)
  @IsStorableText()
  channel: string;

  @ApiPropertyOptional({ example: 'cookie-banner/home' })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  @IsStorableText()
  collectionPoint?: string;

  @ApiPropertyOptional({ example: '2026-09' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  @IsStorableText()
  policyVersion?: string;
}

export class ProofDto {
  @ApiPropertyOptional({ example: '203.0.113.7' })
  @IsOptional()
  @IsIP()
  ip?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  @IsStorableText()
  userAgent?: string;

  @ApiPropertyOptional({ example: 'banner-accept-all' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  @IsStorableText()
  method?: string;

  @ApiPropertyOptional({ description: 'any JSON the frontend keeps as evidence (form snapshot, screenshot reference)' })
  @Allow()
  evidence?: unknown;
}

export class RecordEventsDto {
  @ApiProperty({ type: [ChoiceDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  // An array is an object to ValidateNested: without this, [[]] would reach the domain as a choice without a purpose.
  @IsObject({ each: true, message: 'each of events must be an object {type, purpose, purposeVersion?}' })
  @ValidateNested({ each: true })
  @Type(() => ChoiceDto)
  events: ChoiceDto[];

  @ApiPropertyOptional({ example: '2026-11-23T10:15:00Z', description: 'when the person acted; default now; at most 5 minutes ahead' })
  @IsOptional()
  @IsInstant()
  occurredAt?: string;

  @ApiProperty({ type: SourceDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => SourceDto)
  source: SourceDto;

  @ApiPropertyOptional({ type: ProofDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProofDto)
  proof?: ProofDto;
}
