import { Inject, Injectable } from '@nestjs/common';
import {
  ConsentRecord, Purpose, PurposeChoiceEvent, PurposeVersion, SubjectState, consentEntry, evolveSubject,
  initialSubjectState, recordOf, supersedes,
} from '@consent-ledger/domain';
import { EventStore, StoredEventWithPersonal, decodeSubjectEvent } from '@consent-ledger/ledger-store';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { PurposeCatalog } from '../purposes/purpose-catalog';
import {
  DPV_27560_PROFILE, DPV_CONTEXT, GDPR_LEGAL_BASIS, GDPR_RIGHT_TO_OBJECT, dpvConsentStatus, languageValues, languagesOf,
} from './dpv-vocabulary';
import { exportedEvent } from './export-event-view';
import { subjectEventPages } from './subject-event-pages';
import { ExportTarget } from './subject-export';

const CHOICE_BY_PERSON = new Set(['ConsentGranted', 'ConsentRefused', 'ConsentWithdrawn', 'ObjectionRecorded', 'ObjectionLifted']);

/**
 * The export as ISO/IEC TS 27560 consent records in JSON-LD with the W3C DPV vocabulary (dpv-27560
 * profile): one dpv:ConsentRecord per purpose the subject made a choice about, its events as the record's
 * history. Written incrementally like the JSON export: one purpose's page of events in memory at a time.
 */
@Injectable()
export class Iso27560Export {
  constructor(
    private readonly store: EventStore,
    private readonly catalog: PurposeCatalog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async *records(target: ExportTarget): AsyncGenerator<string> {
    // The first bytes go out before the first pass, so a client sees the answer start at once.
    yield `{"@context":${JSON.stringify(DPV_CONTEXT)},"@graph":[`;
    const state = await this.fold(target);
    const purposeIds = Object.keys(state.consents).sort();
    if (purposeIds.some((id) => !this.catalog.get(id))) await this.catalog.refresh();
    for (const [index, purposeId] of purposeIds.entries()) {
      const purpose = this.catalog.get(purposeId);
      if (!purpose) throw new Error(`consent_state names purpose ${purposeId}, which is not in the catalog`);
      if (index > 0) yield ',';
      yield* this.record(target, purpose, state.erasedAt);
    }
    yield ']}';
  }

  /**
   * The subject's state over exactly the exported events (a first pass, one page in memory at a time):
   * which purposes get a record, and whether the subject is erased.
   */
  private async fold({ subjectId, streamVersion }: ExportTarget): Promise<SubjectState> {
    let state = initialSubjectState(subjectId);
    for await (const page of subjectEventPages(this.store, subjectId, streamVersion)) {
      for (const event of page) state = evolveSubject(state, decodeSubjectEvent(event));
    }
    return state;
  }

  private async *record(target: ExportTarget, purpose: Purpose, erasedAt: string | null): AsyncGenerator<string> {
    const { subjectId } = target;
    const recordId = `${subjectId}:${purpose.purposeId}`;
    const header = {
      '@id': `urn:consent-ledger:record:${encodeURIComponent(recordId)}`,
      '@type': 'dpv:ConsentRecord',
      'dct:identifier': recordId,
      'dct:conformsTo': DPV_27560_PROFILE,
      'dpv:hasDataSubject': { '@id': subjectIri(subjectId), '@type': 'dpv:DataSubject', 'dct:identifier': subjectId },
      ...this.controller(),
      'dpv:hasApplicableLaw': 'eu-gdpr:GDPR',
    };
    yield `${JSON.stringify(header).slice(0, -1)},"cl:history":[`;
    let record: ConsentRecord | undefined;
    let first: StoredEventWithPersonal | undefined;
    let last: StoredEventWithPersonal | undefined;
    for await (const page of subjectEventPages(this.store, subjectId, target.streamVersion, purpose.purposeId)) {
      const nodes = page.map((event) => {
        const data = decodeSubjectEvent(event) as PurposeChoiceEvent;
        const candidate = recordOf(data, event.streamVersion);
        if (supersedes(candidate, record)) record = candidate;
        first ??= event;
        last = event;
        return JSON.stringify(this.eventNode(event, data, versionOf(purpose, data.purposeVersion)));
      });
      yield `${first === page[0] ? '' : ','}${nodes.join(',')}`;
    }
    yield `],${JSON.stringify(this.state(purpose, record, erasedAt, target.exportedAt, first, last)).slice(1)}`;
  }

  /** The record's processing, notice and status fields, from the fold of its events. */
  private state(
    purpose: Purpose,
    record: ConsentRecord | undefined,
    erasedAt: string | null,
    at: Date,
    first: StoredEventWithPersonal | undefined,
    last: StoredEventWithPersonal | undefined,
  ): Record<string, unknown> {
    const entry = consentEntry(record, purpose, at, erasedAt);
    const shown = versionOf(purpose, entry.purposeVersion ?? purpose.versions.length);
    const basis = shown.legalBasis;
    const source = (last?.metadata.source ?? {}) as { channel?: string; collectionPoint?: string; policyVersion?: string };
    const status = dpvConsentStatus(entry.status, entry.status === 'granted' && !entry.allowed);
    return {
      'dct:created': first?.recordedAt,
      'dct:modified': last?.recordedAt,
      'dpv:hasLegalBasis': GDPR_LEGAL_BASIS[basis],
      'dpv:hasPurpose': purposeNode(purpose, shown),
      'dpv:hasNotice': this.notice(purpose, shown, source.policyVersion),
      'dct:language': languagesOf(shown.title, shown.description),
      'dpv:hasProcessing': 'dpv:Collect',
      'cl:collectionMethod': { 'cl:channel': source.channel, 'cl:collectionPoint': source.collectionPoint },
      ...(status ? { 'dpv:hasConsentStatus': status } : { 'dpv:hasRight': GDPR_RIGHT_TO_OBJECT, 'cl:objected': true }),
      'cl:allowed': entry.allowed,
      'cl:decisionReason': entry.reason,
      'dct:date': entry.since,
      ...(entry.expiresAt ? { 'dct:valid': entry.expiresAt } : {}),
      ...(shown.validityDays !== null && basis === 'consent' ? { 'dpv:hasDuration': `P${shown.validityDays}D` } : {}),
      ...(last ? { 'dpv:isImplementedByEntity': actorIri(last) } : {}),
      'dpv:hasConsentControl': basis === 'consent'
        ? [{ '@type': 'dpv:WithdrawConsent', 'dct:description': 'POST /v1/subjects/{subjectId}/events with a ConsentWithdrawn event, or the controller' }]
        : [],
      ...(erasedAt ? { 'cl:subjectErasedAt': erasedAt } : {}),
    };
  }

  private eventNode(event: StoredEventWithPersonal, data: PurposeChoiceEvent, shown: PurposeVersion): Record<string, unknown> {
    const view = exportedEvent(event);
    const status = recordOf(data, event.streamVersion).status;
    const dpvStatus = dpvConsentStatus(status, false);
    return {
      '@id': `urn:consent-ledger:event:${event.eventId}`,
      '@type': 'cl:LedgerEvent',
      'dct:identifier': event.eventId,
      'cl:eventType': event.type,
      'dct:date': event.occurredAt,
      'cl:recordedAt': event.recordedAt,
      ...('expiresAt' in data && data.expiresAt ? { 'dct:valid': data.expiresAt } : {}),
      'dpv:isImplementedByEntity': actorIri(event),
      'dpv:hasLegalBasis': CHOICE_BY_PERSON.has(event.type) && shown.legalBasis === 'consent'
        ? 'dpv:ExpressedConsent'
        : GDPR_LEGAL_BASIS[shown.legalBasis],
      ...(dpvStatus ? { 'dpv:hasConsentStatus': dpvStatus } : { 'dpv:hasRight': GDPR_RIGHT_TO_OBJECT }),
      'cl:purposeVersion': data.purposeVersion,
      'cl:source': view.source,
      'cl:proof': view.proof,
      'cl:position': view.position,
      'cl:streamVersion': view.streamVersion,
      'cl:prevHash': view.prevHash,
      'cl:hash': view.hash,
    };
  }

  private controller(): Record<string, unknown> {
    const { name, contact, policyUrl } = this.config.controller;
    if (!name) return {};
    return {
      'dpv:hasDataController': {
        '@type': 'dpv:DataController',
        'dct:identifier': name,
        'dpv:hasName': name,
        ...(contact ? { 'dpv:hasContact': contact } : {}),
        ...(policyUrl ? { 'dpv:hasPolicy': { '@id': policyUrl } } : {}),
      },
    };
  }

  /** The notice is the purpose text the person was shown (its version), within the controller's policy. */
  private notice(purpose: Purpose, shown: PurposeVersion, policyVersion: string | undefined): Record<string, unknown> {
    const { policyUrl } = this.config.controller;
    return {
      '@id': `urn:consent-ledger:purpose:${purpose.purposeId}:v${shown.version}`,
      '@type': 'dpv:ConsentNotice',
      'dct:identifier': `${purpose.purposeId}@v${shown.version}`,
      'dct:hasVersion': String(shown.version),
      'dct:title': languageValues(shown.title),
      'dct:issued': shown.publishedAt,
      ...(policyVersion ? { 'cl:policyVersion': policyVersion } : {}),
      ...(policyUrl ? { 'dct:isPartOf': { '@id': policyUrl } } : {}),
    };
  }
}

function purposeNode(purpose: Purpose, shown: PurposeVersion): Record<string, unknown> {
  return {
    '@id': `urn:consent-ledger:purpose:${purpose.purposeId}`,
    '@type': 'dpv:Purpose',
    'dct:identifier': purpose.purposeId,
    'dct:hasVersion': String(shown.version),
    'dct:title': languageValues(shown.title),
    'dct:description': languageValues(shown.description),
  };
}

function versionOf(purpose: Purpose, version: number): PurposeVersion {
  const found = purpose.versions.find((v) => v.version === version);
  if (!found) throw new Error(`purpose ${purpose.purposeId} has no version ${version}`);
  return found;
}

const subjectIri = (subjectId: string): string => `urn:consent-ledger:subject:${encodeURIComponent(subjectId)}`;

/** The API key (or system component) that recorded the event. */
function actorIri(event: StoredEventWithPersonal): string {
  const actor = event.metadata.actor;
  return typeof actor === 'string' ? `urn:consent-ledger:api-key:${actor}` : 'urn:consent-ledger:system';
}
