import { LegalBasis } from './legal-basis';
import { ChoiceType } from './subject-events';

/**
 * Which choices a person can express under each lawful basis. Consent is given and taken back
 * (Art. 7); legitimate interest and public task can only be objected to (Art. 21); the other bases
 * do not depend on the person's will, so there is nothing for them to record.
 */
export const ALLOWED_CHOICES: Record<LegalBasis, readonly ChoiceType[]> = {
  consent: ['ConsentGranted', 'ConsentRefused', 'ConsentWithdrawn'],
  legitimate_interest: ['ObjectionRecorded', 'ObjectionLifted'],
  public_task: ['ObjectionRecorded', 'ObjectionLifted'],
  contract: [],
  legal_obligation: [],
  vital_interest: [],
};

export const isChoiceAllowed = (basis: LegalBasis, choice: ChoiceType): boolean =>
  ALLOWED_CHOICES[basis].includes(choice);
