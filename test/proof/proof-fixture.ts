import { withPgClient } from '@consent-ledger/runtime';
import { Client } from 'pg';
import { SealerService } from '../../apps/consent-ledger/src/proof/sealer.service';
import { LedgerApp } from '../e2e/ledger-app';

export const newsletter = {
  title: { fr: 'Lettre d’information', en: 'Newsletter' },
  description: 'Envoi de notre lettre d’information hebdomadaire par e-mail.',
  legalBasis: 'consent',
};

/** A ledger whose sealer runs only when the test says so (no timer), so checkpoints land where the test expects. */
export async function startProofLedger(env: Record<string, string> = {}): Promise<LedgerApp> {
  const ledger = await LedgerApp.start({ CHECKPOINT_INTERVAL_MS: '0', CONSENT_LOG_ORIGIN: 'consent-ledger.test/proof', ...env });
  expect((await ledger.put('/v1/purposes/newsletter', newsletter)).status).toBe(201);
  return ledger;
}

export const seal = (ledger: LedgerApp) => ledger.app.get(SealerService).sealNow();

export async function text(ledger: LedgerApp, path: string, key: string | null = ledger.adminKey): Promise<{ status: number; type: string | null; body: string }> {
  const response = await fetch(`${ledger.baseUrl}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
}

export const record = (ledger: LedgerApp, subjectId: string, type: string, occurredAt?: string) =>
  ledger.post(`/v1/subjects/${subjectId}/events`, { events: [{ type, purpose: 'newsletter' }], source: { channel: 'web' }, ...(occurredAt ? { occurredAt } : {}) });

/** As a superuser rewriting history would: triggers off for the session (the append-only guards included). */
export const asTamperer = <T>(ledger: LedgerApp, work: (client: Client) => Promise<T>) =>
  withPgClient(ledger.databaseUrl, async (client) => {
    await client.query(`SET session_replication_role = replica`);
    return work(client);
  });

/** The operator re-derives the transparency log from the events as they now are, and signs it. */
export async function resealFromScratch(ledger: LedgerApp): Promise<void> {
  await asTamperer(ledger, (client) => client.query('DELETE FROM log_checkpoints; DELETE FROM log_subtrees; DELETE FROM log_leaves'));
  await seal(ledger);
}
