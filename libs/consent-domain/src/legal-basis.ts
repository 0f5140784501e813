/** GDPR Art. 6(1) lawful bases. */
export const LEGAL_BASES = [
  'consent',
  'legitimate_interest',
  'contract',
  'legal_obligation',
  'vital_interest',
  'public_task',
] as const;

export type LegalBasis = (typeof LEGAL_BASES)[number];
