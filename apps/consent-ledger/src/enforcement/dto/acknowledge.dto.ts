import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SERVICE_ID_PATTERN } from '@consent-ledger/domain';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';

const SERVICE_RULE = 'service must match ^[a-z0-9][a-z0-9._-]{0,63}$';

/** A batch this size is one insert; the SDK sends at most this many at once. */
export const MAX_ACKNOWLEDGEMENTS_PER_BATCH = 500;

export class AcknowledgedEventDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  eventId: string;

  @ApiPropertyOptional({ example: '2024-05-01T12:00:00.250Z', description: 'when the service acted; default: when the ledger receives this' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  enforcedAt?: string;
}

export class AcknowledgeDto extends AcknowledgedEventDto {
  @ApiProperty({ example: 'newsletter-sender' })
  @Matches(SERVICE_ID_PATTERN, { message: SERVICE_RULE })
  service: string;
}

export class AcknowledgeBatchDto {
  @ApiProperty({ example: 'newsletter-sender' })
  @Matches(SERVICE_ID_PATTERN, { message: SERVICE_RULE })
  service: string;

  @ApiProperty({ type: [AcknowledgedEventDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ACKNOWLEDGEMENTS_PER_BATCH)
  @ValidateNested({ each: true })
  @Type(() => AcknowledgedEventDto)
  acknowledgements: AcknowledgedEventDto[];
}
