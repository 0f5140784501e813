import { Column, Entity, PrimaryColumn } from 'typeorm';
import { LegalBasis, LocalizedText } from '@consent-ledger/domain';

/** Read model of PurposePublished events: every version's text, as it was shown. */
@Entity({ name: 'purpose_versions' })
export class PurposeVersionEntity {
  @PrimaryColumn('text', { name: 'purpose_id' })
  purposeId: string;

  @PrimaryColumn('integer')
  version: number;

  @Column('jsonb')
  title: LocalizedText;

  @Column('jsonb')
  description: LocalizedText;

  @Column('text', { name: 'legal_basis' })
  legalBasis: LegalBasis;

  @Column('integer', { name: 'validity_days', nullable: true })
  validityDays: number | null;

  @Column('boolean', { name: 'material_change' })
  materialChange: boolean;

  @Column('timestamptz', { name: 'published_at' })
  publishedAt: Date;
}
