import { LedgerApp } from '../e2e/ledger-app';

export const GRANTED_AT = '2026-01-10T09:00:00.000Z';
export const WITHDRAWN_AT = '2026-03-01T18:30:00.000Z';

/**
 * What an auditor comes to read, recorded through the real API: two purposes from the seed
 * policies (newsletter republished with a material change), and a subject who granted the
 * newsletter through the sign-up form, then withdrew from the preference centre.
 */
export async function recordAuditTrail(ledger: LedgerApp, subjectId: string): Promise<void> {
  const ok = (response: { status: number; body: unknown }, expected: number[]) => {
    if (!expected.includes(response.status)) throw new Error(`${response.status}: ${JSON.stringify(response.body)}`);
  };
  ok(await ledger.put('/v1/purposes/newsletter', {
    title: { fr: 'Lettre d’information', en: 'Newsletter' },
    description: { fr: 'Recevoir nos actualités par courriel, une fois par mois.', en: 'Receive our news by email, once a month.' },
    legalBasis: 'consent', validityDays: 395,
  }), [200, 201]);
  ok(await ledger.put('/v1/purposes/newsletter', {
    title: { fr: 'Lettre d’information', en: 'Newsletter' },
    description: { fr: 'Recevoir nos actualités et offres partenaires par courriel, une fois par semaine.', en: 'Receive our news and partner offers by email, once a week.' },
    legalBasis: 'consent', validityDays: 395, materialChange: true,
  }), [200, 201]);
  ok(await ledger.put('/v1/purposes/offers-similar-services', {
    title: 'Offres pour des services similaires',
    description: 'Vous informer de nos offres pour des services analogues à ceux que vous avez souscrits.',
    legalBasis: 'legitimate_interest', validityDays: null,
  }), [200, 201]);
  ok(await ledger.post(`/v1/subjects/${subjectId}/events`, {
    events: [{ type: 'ConsentGranted', purpose: 'newsletter', purposeVersion: 1 }],
    occurredAt: GRANTED_AT,
    source: { channel: 'web', collectionPoint: 'signup-form', policyVersion: '2026-01' },
    proof: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64)', method: 'checkbox' },
  }), [201]);
  ok(await ledger.post(`/v1/subjects/${subjectId}/events`, {
    events: [{ type: 'ConsentWithdrawn', purpose: 'newsletter' }],
    occurredAt: WITHDRAWN_AT,
    source: { channel: 'web', collectionPoint: 'preference-centre' },
    proof: { ip: '203.0.113.8', method: 'toggle' },
  }), [201]);
}
