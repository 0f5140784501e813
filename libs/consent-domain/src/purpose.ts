import { LegalBasis } from './legal-basis';

/** Plain text, or the same text per language tag (`{"fr": "...", "en": "..."}`). */
export type LocalizedText = string | Record<string, string>;

/** The CNIL's 13 months, in days. */
export const DEFAULT_VALIDITY_DAYS = 395;

export interface PurposeVersion {
  version: number;
  title: LocalizedText;
  description: LocalizedText;
  legalBasis: LegalBasis;
  /** null: consent never expires. */
  validityDays: number | null;
  materialChange: boolean;
  publishedAt: string;
}

/** The folded state of one purpose stream. */
export interface Purpose {
  purposeId: string;
  /** Oldest first; `versions[i].version === i + 1`. */
  versions: PurposeVersion[];
  retiredAt: string | null;
}
