import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';

export class ErasureRequestDto {
  @ApiPropertyOptional({
    example: 'art17-request',
    description: 'why the subject is erased: hashed into the chain and published, so never personal data (no names, no e-mail addresses)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  // A short code, not prose: whatever is written here can never be erased again.
  @Matches(/^[A-Za-z0-9._:#/-]+$/, { message: 'reason must be a short code of [A-Za-z0-9._:#/-]' })
  reason?: string;
}
