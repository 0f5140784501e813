import {
  ConsentExpired,
  ConsentGranted,
  ConsentRefused,
  ConsentWithdrawn,
  foldPurpose,
  LegalBasis,
  LocalizedText,
  ObjectionLifted,
  ObjectionRecorded,
  Purpose,
  PurposePublished,
  PurposeRetired,
  SubjectErased,
} from '../../src';

/** Purposes declared in the French privacy policies of /work/shared/seeds, published on the launch date. */
export const LAUNCH = new Date('2024-01-15T09:00:00.000Z');
export const NOW = new Date('2024-06-01T10:00:00.000Z');
export const SUBJECT = 'acct:42';

export const at = (iso: string): Date => new Date(iso);
export const plusMs = (date: Date, ms: number): Date => new Date(date.getTime() + ms);
export const DAY = 86_400_000;

export const published = (
  purposeId: string,
  fields: {
    version?: number;
    legalBasis: LegalBasis;
    validityDays: number | null;
    title?: LocalizedText;
    description?: LocalizedText;
    materialChange?: boolean;
    occurredAt?: string;
  },
): PurposePublished => ({
  type: 'PurposePublished',
  purposeId,
  version: fields.version ?? 1,
  title: fields.title ?? purposeId,
  description: fields.description ?? purposeId,
  legalBasis: fields.legalBasis,
  validityDays: fields.validityDays,
  materialChange: fields.materialChange ?? false,
  occurredAt: fields.occurredAt ?? LAUNCH.toISOString(),
});

export const retired = (purposeId: string, occurredAt: string): PurposeRetired => ({
  type: 'PurposeRetired',
  purposeId,
  occurredAt,
});

export const NEWSLETTER_V1 = published('newsletter', {
  legalBasis: 'consent',
  // Prospect data is kept three years from the last contact.
  validityDays: 1095,
  title: { fr: "Lettre d'information", en: 'Newsletter' },
  description: {
    fr: 'Vous adresser une newsletter ainsi que des offres commerciales sur nos services.',
    en: 'Send you a newsletter and commercial offers about our services.',
  },
});

export const AUDIENCE_V1 = published('audience-measurement', {
  legalBasis: 'consent',
  // The CNIL's 13 months for cookie consent.
  validityDays: 395,
  title: "Cookies de mesure d'audience",
  description: "Analyser l'utilisation du Site afin d'en améliorer le fonctionnement.",
});

export const OFFERS_V1 = published('offers-similar-services', {
  legalBasis: 'legitimate_interest',
  validityDays: 1095,
  title: 'Offres pour des services analogues',
  description: 'Vous adresser par email des offres pour des services analogues à ceux déjà fournis.',
});

export const ORDERS_V1 = published('order-processing', {
  legalBasis: 'contract',
  validityDays: null,
  title: 'Gestion des commandes',
  description: "Exécution des prestations de service commandées, facturation et relation client.",
});

export const ACCOUNTING_V1 = published('accounting', {
  legalBasis: 'legal_obligation',
  // Accounting records: 10 years.
  validityDays: 3650,
  title: 'Obligations comptables et fiscales',
  description: 'Conserver les factures et pièces comptables pendant 10 ans.',
});

export const SOCIAL_V1 = published('social-sharing', {
  legalBasis: 'consent',
  validityDays: null,
  title: 'Partage sur les réseaux sociaux',
  description: 'Boutons de partage déposant des cookies des réseaux sociaux.',
});

export const SCHOOL_V1 = published('school-registration', {
  legalBasis: 'public_task',
  validityDays: null,
  title: 'Inscription scolaire',
  description: "Gestion des inscriptions dans les écoles de la commune (mission d'intérêt public).",
});

export const EMERGENCY_V1 = published('emergency-contact', {
  legalBasis: 'vital_interest',
  validityDays: null,
  title: "Contact d'urgence",
  description: "Prévenir vos proches en cas d'urgence médicale.",
});

export const purpose = (...events: (PurposePublished | PurposeRetired)[]): Purpose => {
  const folded = foldPurpose(events);
  if (folded === null) throw new Error('a purpose fixture needs at least one event');
  return folded;
};

export const newsletter = purpose(NEWSLETTER_V1);
export const audience = purpose(AUDIENCE_V1);
export const offers = purpose(OFFERS_V1);
export const orders = purpose(ORDERS_V1);
export const accounting = purpose(ACCOUNTING_V1);
export const social = purpose(SOCIAL_V1);
export const school = purpose(SCHOOL_V1);
export const emergency = purpose(EMERGENCY_V1);

/** `iso` plus whole days, as ISO: what a validity of `days` gives. */
export const daysAfter = (iso: string, days: number): string => new Date(Date.parse(iso) + days * DAY).toISOString();

const choice = (purpose: string, occurredAt: string, purposeVersion: number) => ({
  subjectId: SUBJECT,
  purpose,
  purposeVersion,
  occurredAt,
});

export const grant = (purpose: string, occurredAt: string, expiresAt: string | null, purposeVersion = 1): ConsentGranted => ({
  type: 'ConsentGranted',
  ...choice(purpose, occurredAt, purposeVersion),
  expiresAt,
});

export const refusal = (purpose: string, occurredAt: string, expiresAt: string | null, purposeVersion = 1): ConsentRefused => ({
  type: 'ConsentRefused',
  ...choice(purpose, occurredAt, purposeVersion),
  expiresAt,
});

export const withdrawal = (purpose: string, occurredAt: string, purposeVersion = 1): ConsentWithdrawn => ({
  type: 'ConsentWithdrawn',
  ...choice(purpose, occurredAt, purposeVersion),
});

export const objection = (purpose: string, occurredAt: string, purposeVersion = 1): ObjectionRecorded => ({
  type: 'ObjectionRecorded',
  ...choice(purpose, occurredAt, purposeVersion),
});

export const objectionLifted = (purpose: string, occurredAt: string, purposeVersion = 1): ObjectionLifted => ({
  type: 'ObjectionLifted',
  ...choice(purpose, occurredAt, purposeVersion),
});

export const expiry = (purpose: string, occurredAt: string, purposeVersion = 1): ConsentExpired => ({
  type: 'ConsentExpired',
  ...choice(purpose, occurredAt, purposeVersion),
});

export const erasure = (occurredAt: string): SubjectErased => ({ type: 'SubjectErased', subjectId: SUBJECT, occurredAt });
