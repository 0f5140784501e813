import { LegalBasis } from './legal-basis';
import { LocalizedText } from './purpose';

export interface PurposePublished {
  type: 'PurposePublished';
  purposeId: string;
  version: number;
  title: LocalizedText;
  description: LocalizedText;
  legalBasis: LegalBasis;
  validityDays: number | null;
  materialChange: boolean;
  occurredAt: string;
}

export interface PurposeRetired {
  type: 'PurposeRetired';
  purposeId: string;
  occurredAt: string;
}

export type PurposeEvent = PurposePublished | PurposeRetired;
