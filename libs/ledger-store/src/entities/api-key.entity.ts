import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text', { array: true })
  scopes: string[];

  /** SHA-256 of the secret: secrets are random 256-bit values, so a slow hash adds nothing. */
  @Column('text', { name: 'secret_hash', unique: true })
  secretHash: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;

  /** The id of the key that created this one; null for keys from before it was recorded. */
  @Column('text', { name: 'created_by', nullable: true })
  createdBy: string | null;

  /** Refused from this instant on; null: never expires. */
  @Column('timestamptz', { name: 'expires_at', nullable: true })
  expiresAt: Date | null;
  /** The processing service the key acknowledges enforcement for; null: not bound. */
  @Column('text', { nullable: true })
  service: string | null;
}
