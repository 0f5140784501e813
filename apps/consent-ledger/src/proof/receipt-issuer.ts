import { Inject, Injectable } from '@nestjs/common';
import { subjectStreamId } from '@consent-ledger/domain';
import { EventStore } from '@consent-ledger/ledger-store';
import { CompactSign } from 'jose';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { PurposeCatalog } from '../purposes/purpose-catalog';
import { RecordChoicesResponse } from '../subjects/record-choices.message';
import { ConsentReceipt } from './consent-receipt';
import { LogKey } from './log-key';

/**
 * Signs the consent receipt of a write: a compact JWS (EdDSA, kid = the key's JWK thumbprint) that
 * the person can keep and anyone can verify with GET /v1/ledger/public-key. Ed25519 is
 * deterministic and the receipt holds no issue time, so a replayed request gets the same receipt.
 */
@Injectable()
export class ReceiptIssuer {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly key: LogKey,
    private readonly store: EventStore,
    private readonly catalog: PurposeCatalog,
  ) {}

  async attach<T extends RecordChoicesResponse>(response: T, source: { channel: string; collectionPoint?: string }): Promise<T & { receipt: string }> {
    return { ...response, receipt: await this.sign(await this.receipt(response, source)) };
  }

  private async receipt(response: RecordChoicesResponse, source: { channel: string; collectionPoint?: string }): Promise<ConsentReceipt> {
    const first = response.events[0];
    const expiry = await this.expiries(response);
    const { name, contact, policyUrl } = this.config.controller;
    const purposes = [...new Set(response.events.map((event) => event.purpose))];
    return {
      version: 'KI-CR-v1.1.0',
      jurisdiction: 'EU',
      consentTimestamp: Math.floor(Date.parse(first.occurredAt) / 1000),
      collectionMethod: [source.channel, source.collectionPoint].filter(Boolean).join(': '),
      consentReceiptID: first.eventId,
      piiPrincipalId: response.subjectId,
      piiControllers: [{ piiController: name ?? null, contact: contact ?? null, ...(policyUrl ? { piiControllerUrl: policyUrl } : {}) }],
      policyUrl: policyUrl ?? null,
      services: purposes.map((purpose) => ({
        service: purpose,
        purposes: response.events.filter((event) => event.purpose === purpose).map((event) => ({
          purpose: event.purpose,
          purposeVersion: event.purposeVersion,
          legalBasis: this.catalog.get(event.purpose)?.versions[event.purposeVersion - 1]?.legalBasis ?? null,
          consentType: event.type,
          termination: expiry.get(event.eventId) ?? null,
          primaryPurpose: true,
          thirdPartyDisclosure: false,
        })),
      })),
      sensitive: false,
      spiCat: [],
      eventIds: response.events.map((event) => event.eventId),
      streamVersion: response.streamVersion,
    };
  }

  /**
   * The expiry each event carries, as the domain computed it: in the response itself, except in a
   * response saved under an Idempotency-Key before responses carried it (then read from the log).
   */
  private async expiries(response: RecordChoicesResponse): Promise<Map<string, string | null>> {
    if (response.events.every((event) => event.expiresAt !== undefined)) {
      return new Map(response.events.map((event) => [event.eventId, event.expiresAt]));
    }
    const first = response.events[0];
    const stored = await this.store.readStream(subjectStreamId(response.subjectId), { after: first.streamVersion - 1, limit: response.events.length });
    return new Map(stored.map((event) => [event.eventId, (event.data.expiresAt as string | null | undefined) ?? null]));
  }

  private sign(receipt: ConsentReceipt): Promise<string> {
    return new CompactSign(new TextEncoder().encode(JSON.stringify(receipt)))
      .setProtectedHeader({ alg: 'EdDSA', kid: this.key.kid, typ: 'JWT' })
      .sign(this.key.signer.privateKey);
  }
}
