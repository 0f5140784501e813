import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SERVICE_ID_PATTERN } from '@consent-ledger/domain';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsInstant, IsStorableText } from '../../http/text-validators';
import { SCOPES, Scope } from '../scopes';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'cookie-banner', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @IsStorableText()
  name: string;

  @ApiProperty({ enum: SCOPES, isArray: true, example: ['events:write'], description: 'only scopes the calling key holds itself' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(SCOPES, { each: true })
  scopes: Scope[];

  @ApiPropertyOptional({ format: 'date-time', example: '2027-01-01T00:00:00Z', description: 'refused from then on; default: never expires' })
  @IsOptional()
  @IsInstant()
  expiresAt?: string;

  @ApiPropertyOptional({ example: 'newsletter-sender', description: 'binds the key to a registered processing service: it acknowledges enforcement for that service only' })
  @IsOptional()
  @Matches(SERVICE_ID_PATTERN, { message: 'service must match ^[a-z0-9][a-z0-9._-]{0,63}$' })
  service?: string;
}
