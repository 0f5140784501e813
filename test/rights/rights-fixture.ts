import { LedgerApp } from '../e2e/ledger-app';

/** Purposes as the seeds' French policies declare them. */
export const PURPOSES = {
  newsletter: {
    title: { fr: 'Lettre d’information', en: 'Newsletter' },
    description: { fr: 'Envoi de notre lettre d’information hebdomadaire par e-mail.', en: 'Our weekly newsletter by e-mail.' },
    legalBasis: 'consent',
  },
  'audience-measurement': {
    title: 'Mesure d’audience',
    description: 'Cookies de mesure d’audience, conservés 13 mois au plus.',
    legalBasis: 'consent',
    validityDays: 395,
  },
  'offers-similar-services': {
    title: 'Offres pour des services similaires',
    description: 'Prospection par e-mail pour des services analogues à ceux déjà souscrits.',
    legalBasis: 'legitimate_interest',
  },
  'account-management': {
    title: 'Gestion du compte',
    description: 'Création et gestion du compte client.',
    legalBasis: 'contract',
  },
} as const;

export async function publishPurposes(ledger: LedgerApp): Promise<void> {
  for (const [purposeId, body] of Object.entries(PURPOSES)) {
    const response = await ledger.put(`/v1/purposes/${purposeId}`, body);
    if (response.status !== 201 && response.status !== 200) throw new Error(`PUT ${purposeId}: ${response.status}`);
  }
}

/** Proof fields distinctive enough to be searched for in every table and topic. */
export function personalProof(tag: string) {
  return {
    ip: `198.51.100.${(tag.length * 7) % 250 + 1}`,
    userAgent: `Mozilla/5.0 (X11; Linux x86_64) RightsTest-${tag}/1.0`,
    evidence: `evidence-${tag}-clicked-accept-all`,
    method: 'banner-accept-all',
  };
}

export const web = { channel: 'web', collectionPoint: 'cookie-banner/home', policyVersion: '2026-09' };

export function grant(ledger: LedgerApp, subjectId: string, purposes: string[], proof: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return ledger.post(`/v1/subjects/${subjectId}/events`, {
    events: purposes.map((purpose) => ({ type: 'ConsentGranted', purpose })),
    source: web,
    proof,
    ...extra,
  });
}

export const erase = (ledger: LedgerApp, subjectId: string, body: unknown = {}, key?: string | null) =>
  ledger.request('POST', `/v1/subjects/${subjectId}/erasure`, { body, key });
