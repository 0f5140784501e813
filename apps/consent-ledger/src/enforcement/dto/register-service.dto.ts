import { ApiProperty } from '@nestjs/swagger';
import { PURPOSE_ID_PATTERN } from '@consent-ledger/domain';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';

/** A year: an SLA longer than that is not an SLA. */
const MAX_SLA_SECONDS = 31_536_000;

export class RegisterServiceDto {
  @ApiProperty({ example: 'Newsletter sender' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ type: [String], example: ['newsletter'], description: 'the purposes this service processes data for' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ArrayUnique()
  @Matches(PURPOSE_ID_PATTERN, { each: true, message: 'each purpose must match ^[a-z0-9][a-z0-9._-]{0,63}$' })
  purposes: string[];

  @ApiProperty({ example: 300, minimum: 1, maximum: MAX_SLA_SECONDS, description: 'how long after a denying event is recorded the service must have enforced it' })
  @IsInt()
  @Min(1)
  @Max(MAX_SLA_SECONDS)
  slaSeconds: number;
}
