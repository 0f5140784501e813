import { LedgerApp } from '../e2e/ledger-app';
import { erase, publishPurposes, web } from './rights-fixture';

/**
 * The ISO/IEC TS 27560 fields the W3C DPV guide ("Consent Records and Receipts as per ISO/IEC TS
 * 27560:2023 using DPV", mapping table) marks Mandatory, with the DPV relation it gives, for those the
 * ledger knows. The mandatory fields it does not know (storage locations, retention period,
 * jurisdiction, recipient third parties, pii information / pii type, party address) are listed as
 * omitted in docs/rights.md.
 */
const MANDATORY_RECORD_FIELDS: Record<string, string> = {
  'schema version': 'dct:conformsTo',
  'record id': 'dct:identifier',
  'pii principal id': 'dpv:hasDataSubject',
  'privacy notice': 'dpv:hasNotice',
  language: 'dct:language',
  purpose: 'dpv:hasPurpose',
  'lawful basis (GDPR mandatory)': 'dpv:hasLegalBasis',
  'pii controllers': 'dpv:hasDataController',
  'withdrawal method': 'dpv:hasConsentControl',
  'event time': 'dct:date',
  'validity duration': 'dct:valid',
  'entity id': 'dpv:isImplementedByEntity',
  'event state': 'dpv:hasConsentStatus',
};
const MANDATORY_PARTY_FIELDS: Record<string, string> = {
  'party id': 'dct:identifier',
  'party name': 'dpv:hasName',
  'party contact': 'dpv:hasContact',
  'party type': '@type',
};
const MANDATORY_EVENT_FIELDS: Record<string, string> = {
  'event time': 'dct:date',
  'entity id': 'dpv:isImplementedByEntity',
  'event type': 'dpv:hasLegalBasis',
  'event state': 'dpv:hasConsentStatus',
};
const CONSENT_STATUSES = [
  'dpv:ConsentUnknown', 'dpv:ConsentRequested', 'dpv:ConsentGiven', 'dpv:ConsentRefused', 'dpv:ConsentWithdrawn',
  'dpv:ConsentExpired', 'dpv:ConsentInvalidated', 'dpv:ConsentRevoked', 'dpv:RenewedConsentGiven', 'dpv:ConsentRequestDeferred',
];

describe('export as ISO/IEC TS 27560 consent records (W3C DPV, dpv-27560 profile)', () => {
  let ledger: LedgerApp;

  beforeAll(async () => {
    ledger = await LedgerApp.start({
      CONSENT_CONTROLLER_NAME: 'Exemple SAS',
      CONSENT_CONTROLLER_CONTACT: 'dpo@exemple.fr',
      CONSENT_CONTROLLER_POLICY_URL: 'https://exemple.fr/confidentialite',
    });
    await publishPurposes(ledger);
    const proof = { ip: '203.0.113.99', userAgent: 'Safari/18', method: 'banner-accept-all' };
    expect((await ledger.post('/v1/subjects/iso-subject/events', {
      events: [{ type: 'ConsentGranted', purpose: 'newsletter' }, { type: 'ConsentGranted', purpose: 'audience-measurement' }],
      source: web,
      proof,
    })).status).toBe(201);
    expect((await ledger.post('/v1/subjects/iso-subject/events', { events: [{ type: 'ConsentWithdrawn', purpose: 'audience-measurement' }], source: web })).status).toBe(201);
    expect((await ledger.post('/v1/subjects/iso-subject/events', { events: [{ type: 'ObjectionRecorded', purpose: 'offers-similar-services' }], source: web })).status).toBe(201);
  });
  afterAll(() => ledger.close());

  const iso = async (subjectId: string) => {
    const response = await fetch(`${ledger.baseUrl}/v1/subjects/${subjectId}/export?format=iso27560`, { headers: { authorization: `Bearer ${ledger.adminKey}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/ld+json');
    return JSON.parse(await response.text());
  };

  it('gives one dpv:ConsentRecord per purpose, each with every mandatory field the ledger knows', async () => {
    const document = await iso('iso-subject');
    expect(document['@context']).toMatchObject({ dpv: 'https://w3id.org/dpv#', dct: 'http://purl.org/dc/terms/' });
    const records = document['@graph'];
    expect(records.map((r: any) => r['dct:identifier'])).toEqual([
      'iso-subject:audience-measurement', 'iso-subject:newsletter', 'iso-subject:offers-similar-services',
    ]);
    for (const record of records) {
      expect(record['@type']).toBe('dpv:ConsentRecord');
      expect(record['dct:conformsTo']).toBe('https://w3id.org/dpv/schema/dpv-27560#record');
      expect(record['dpv:hasDataSubject']).toMatchObject({ '@type': 'dpv:DataSubject', 'dct:identifier': 'iso-subject' });
      const consentBased = record['dpv:hasLegalBasis'] === 'eu-gdpr:A6-1-a';
      for (const [field, relation] of Object.entries(MANDATORY_RECORD_FIELDS)) {
        // An objection answers a legitimate interest: no consent status, withdrawal method or validity there.
        if (!consentBased && ['withdrawal method', 'event state', 'validity duration'].includes(field)) continue;
        // A withdrawn consent has no validity left.
        if (field === 'validity duration' && record['dpv:hasConsentStatus'] !== 'dpv:ConsentGiven') continue;
        expect({ field, value: record[relation] }).toEqual({ field, value: expect.anything() });
      }
      for (const [field, relation] of Object.entries(MANDATORY_PARTY_FIELDS)) {
        expect({ field, value: record['dpv:hasDataController'][relation] }).toEqual({ field, value: expect.anything() });
      }
      for (const event of record['cl:history']) {
        for (const [field, relation] of Object.entries(MANDATORY_EVENT_FIELDS)) {
          if (!consentBased && field === 'event state') continue;
          expect({ field, value: event[relation] }).toEqual({ field, value: expect.anything() });
        }
        if (consentBased) expect(CONSENT_STATUSES).toContain(event['dpv:hasConsentStatus']);
      }
      // Every prefixed term is declared in the context.
      const text = JSON.stringify(record);
      const keys = [...text.matchAll(/"([a-z-]+):[A-Za-z]+":/g)].map((m) => m[1]);
      const termValues = [...text.matchAll(/:"([a-z-]+):[A-Z][A-Za-z0-9-]*"/g)].map((m) => m[1]);
      expect(keys.length).toBeGreaterThan(10);
      for (const prefix of [...keys, ...termValues]) expect(Object.keys(document['@context'])).toContain(prefix);
    }
  });

  it('maps the statuses, bases, purpose text, notice, controller and proof fields', async () => {
    const records = (await iso('iso-subject'))['@graph'];
    const byPurpose = Object.fromEntries(records.map((r: any) => [r['dpv:hasPurpose']['dct:identifier'], r]));
    const newsletter = byPurpose.newsletter;
    expect(newsletter).toMatchObject({
      'dpv:hasConsentStatus': 'dpv:ConsentGiven',
      'dpv:hasLegalBasis': 'eu-gdpr:A6-1-a',
      'dpv:hasDuration': 'P395D',
      'dct:language': ['en', 'fr'],
      'dpv:hasDataController': { '@type': 'dpv:DataController', 'dpv:hasName': 'Exemple SAS', 'dpv:hasContact': 'dpo@exemple.fr', 'dpv:hasPolicy': { '@id': 'https://exemple.fr/confidentialite' } },
      'dpv:hasNotice': { '@type': 'dpv:ConsentNotice', 'dct:identifier': 'newsletter@v1', 'cl:policyVersion': '2026-09' },
      'cl:collectionMethod': { 'cl:channel': 'web', 'cl:collectionPoint': 'cookie-banner/home' },
    });
    expect(newsletter['dpv:hasPurpose']['dct:title']).toEqual(expect.arrayContaining([{ '@value': 'Lettre d’information', '@language': 'fr' }, { '@value': 'Newsletter', '@language': 'en' }]));
    expect(newsletter['cl:history']).toHaveLength(1);
    expect(newsletter['cl:history'][0]).toMatchObject({
      'cl:eventType': 'ConsentGranted',
      'dpv:hasLegalBasis': 'dpv:ExpressedConsent',
      'dpv:hasConsentStatus': 'dpv:ConsentGiven',
      'dct:valid': newsletter['dct:valid'],
      'cl:proof': { ip: '203.0.113.99', userAgent: 'Safari/18', method: 'banner-accept-all' },
    });
    expect(byPurpose['audience-measurement']['dpv:hasConsentStatus']).toBe('dpv:ConsentWithdrawn');
    expect(byPurpose['audience-measurement']['cl:history'].map((e: any) => e['dpv:hasConsentStatus'])).toEqual(['dpv:ConsentGiven', 'dpv:ConsentWithdrawn']);
    expect(byPurpose['offers-similar-services']).toMatchObject({ 'dpv:hasLegalBasis': 'eu-gdpr:A6-1-f', 'dpv:hasRight': 'eu-gdpr:A21', 'cl:allowed': false });
  });

  it('marks a grant of an erased subject invalidated and its proof fields [erased]', async () => {
    await ledger.post('/v1/subjects/iso-erased/events', { events: [{ type: 'ConsentGranted', purpose: 'newsletter' }], source: web, proof: { ip: '203.0.113.98' } });
    expect((await erase(ledger, 'iso-erased')).status).toBe(201);
    const [record] = (await iso('iso-erased'))['@graph'];
    expect(record).toMatchObject({ 'dpv:hasConsentStatus': 'dpv:ConsentInvalidated', 'cl:subjectErasedAt': expect.any(String), 'cl:allowed': false });
    expect(record['cl:history'][0]['cl:proof']).toEqual({ ip: '[erased]', userAgent: '[erased]', evidence: '[erased]' });
  });
});
