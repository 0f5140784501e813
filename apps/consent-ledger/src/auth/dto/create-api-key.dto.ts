import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, Length } from 'class-validator';
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
}
