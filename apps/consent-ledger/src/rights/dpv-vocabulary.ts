import { ConsentStatus, LegalBasis, LocalizedText } from '@consent-ledger/domain';

/**
 * The W3C Data Privacy Vocabulary terms an ISO/IEC TS 27560 record uses (the DPV guide "Consent Records
 * and Receipts as per ISO/IEC TS 27560:2023 using DPV"). `cl:` names what the ledger knows and DPV has
 * no term for (hash-chain links, the proof fields, the channel).
 */
export const DPV_CONTEXT = {
  dpv: 'https://w3id.org/dpv#',
  dct: 'http://purl.org/dc/terms/',
  'eu-gdpr': 'https://w3id.org/dpv/legal/eu/gdpr#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  cl: 'urn:consent-ledger:vocab#',
};

/** The profile a record conforms to: ISO/IEC TS 27560's "schema version". */
export const DPV_27560_PROFILE = 'https://w3id.org/dpv/schema/dpv-27560#record';

/** GDPR Art. 6(1) points, as the DPV EU GDPR extension names them. */
export const GDPR_LEGAL_BASIS: Record<LegalBasis, string> = {
  consent: 'eu-gdpr:A6-1-a',
  contract: 'eu-gdpr:A6-1-b',
  legal_obligation: 'eu-gdpr:A6-1-c',
  vital_interest: 'eu-gdpr:A6-1-d',
  public_task: 'eu-gdpr:A6-1-e',
  legitimate_interest: 'eu-gdpr:A6-1-f',
};

/** Art. 21, the right an objection exercises (legitimate interest, public task). */
export const GDPR_RIGHT_TO_OBJECT = 'eu-gdpr:A21';

/**
 * dpv:ConsentStatus for a ledger status. An objection is not a consent status (it answers a legitimate
 * interest): undefined, and the record names the right to object instead. A grant the ledger no longer
 * honours (a material change since, or the subject erased) is dpv:ConsentInvalidated.
 */
export function dpvConsentStatus(status: ConsentStatus, invalidated: boolean): string | undefined {
  switch (status) {
    case 'granted':
      return invalidated ? 'dpv:ConsentInvalidated' : 'dpv:ConsentGiven';
    case 'refused':
      return 'dpv:ConsentRefused';
    case 'withdrawn':
      return 'dpv:ConsentWithdrawn';
    case 'expired':
      return 'dpv:ConsentExpired';
    case 'none':
      return 'dpv:ConsentUnknown';
    case 'objected':
      return undefined;
    default: {
      const unknown: never = status;
      throw new Error(`unknown consent status ${String(unknown)}`);
    }
  }
}

/** Text as JSON-LD language-tagged values; plain text has no tag. */
export function languageValues(text: LocalizedText): { '@value': string; '@language'?: string }[] {
  return typeof text === 'string'
    ? [{ '@value': text }]
    : Object.entries(text).map(([language, value]) => ({ '@value': value, '@language': language }));
}

/** The languages the notice was written in; "und" (BCP 47: undetermined) for plain text. */
export function languagesOf(...texts: LocalizedText[]): string[] {
  const tags = new Set(texts.flatMap((text) => (typeof text === 'string' ? ['und'] : Object.keys(text))));
  return [...tags].sort();
}
