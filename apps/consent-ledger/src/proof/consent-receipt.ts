import { LegalBasis } from '@consent-ledger/domain';

/**
 * The Kantara Initiative Consent Receipt 1.1 fields that apply to a ledger write, plus the ledger's
 * own references (eventIds, streamVersion) that tie the receipt to the log an auditor can verify.
 */
export interface ConsentReceipt {
  version: 'KI-CR-v1.1.0';
  /** GDPR: the receipts record choices under EU law. */
  jurisdiction: string;
  /** Seconds since the epoch, as the specification writes it: when the person acted. */
  consentTimestamp: number;
  /** How the choice was collected: the source channel, then the collection point. */
  collectionMethod: string;
  /** The first event's id: unique per write, and the same for a replayed request. */
  consentReceiptID: string;
  publicKey?: string;
  language?: string;
  piiPrincipalId: string;
  piiControllers: { piiController: string | null; contact: string | null; piiControllerUrl?: string }[];
  policyUrl: string | null;
  services: {
    service: string;
    purposes: {
      purpose: string;
      purposeVersion: number;
      legalBasis: LegalBasis | null;
      consentType: string;
      /** When the choice lapses (ISO 8601), or null when it does not. */
      termination: string | null;
      primaryPurpose: boolean;
      thirdPartyDisclosure: boolean;
    }[];
  }[];
  sensitive: boolean;
  spiCat: string[];
  eventIds: string[];
  streamVersion: number;
}
