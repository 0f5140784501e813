import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LEGAL_BASES, LegalBasis, LocalizedText, MAX_VALIDITY_DAYS } from '@consent-ledger/domain';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min, ValidateIf } from 'class-validator';
import { IsLocalizedText } from '../../http/localized-text.validator';

export class PublishPurposeDto {
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'object', additionalProperties: { type: 'string' } }], example: { fr: 'Lettre d’information', en: 'Newsletter' } })
  @IsLocalizedText(200)
  title: LocalizedText;

  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'object', additionalProperties: { type: 'string' } }], example: 'Envoi de notre lettre d’information hebdomadaire par e-mail.' })
  @IsLocalizedText(10_000)
  description: LocalizedText;

  @ApiProperty({ enum: LEGAL_BASES, example: 'consent' })
  @IsIn(LEGAL_BASES)
  legalBasis: LegalBasis;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: MAX_VALIDITY_DAYS, default: 395, description: 'null: consent never expires' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(MAX_VALIDITY_DAYS)
  validityDays?: number | null;

  @ApiPropertyOptional({ default: false, description: 'true: every grant of an earlier version needs renewal' })
  @IsOptional()
  @IsBoolean()
  materialChange?: boolean;
}
