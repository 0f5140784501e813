import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Read model of a purpose stream's head. */
@Entity({ name: 'purposes' })
export class PurposeEntity {
  @PrimaryColumn('text', { name: 'purpose_id' })
  purposeId: string;

  @Column('integer', { name: 'current_version' })
  currentVersion: number;

  @Column('timestamptz', { name: 'retired_at', nullable: true })
  retiredAt: Date | null;
}
