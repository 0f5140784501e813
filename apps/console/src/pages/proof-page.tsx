import { useEffect, useState } from 'preact/hooks';
import { api, enc } from '../api';
import { Show, useLoad } from '../components/loaded';
import { download } from '../download';
import { localized, useI18n } from '../i18n';
import { purposeList } from '../ledger-reads';
import { LocalizedText } from '../ledger-types';
import { ProofDocument, ProofVerdict, verifyProof } from '../proof/verify-proof';
import { href, navigate } from '../route';

/** datetime-local reads and writes UTC here, as every instant on the console is shown in UTC. */
const toLocalInput = (iso: string) => (iso ? iso.slice(0, 19) : '');
const fromLocalInput = (value: string) => (value ? new Date(`${value}Z`).toISOString() : '');

export function ProofPage({ subjectId, purpose, at }: { subjectId: string; purpose: string; at: string }) {
  const { t } = useI18n();
  const [form, setForm] = useState({ subjectId, purpose, at: toLocalInput(at) });
  useEffect(() => setForm({ subjectId, purpose, at: toLocalInput(at) }), [subjectId, purpose, at]);
  const [purposes] = useLoad(purposeList, []);

  return (
    <>
      <h1>{t('proof.title')}</h1>
      <form class="inline" onSubmit={(e) => { e.preventDefault(); navigate(href('proof', form.subjectId.trim(), { purpose: form.purpose, at: fromLocalInput(form.at) || undefined })); }}>
        <label for="proof-subject">{t('subject.search')}</label>
        <input id="proof-subject" required value={form.subjectId} onInput={(e) => setForm({ ...form, subjectId: e.currentTarget.value })} />
        <label for="proof-purpose">{t('proof.purpose')}</label>
        <input id="proof-purpose" required list="purpose-ids" value={form.purpose} onInput={(e) => setForm({ ...form, purpose: e.currentTarget.value })} />
        <datalist id="purpose-ids">
          {purposes.state === 'ok' && purposes.value.map((p) => <option key={p.purposeId} value={p.purposeId} />)}
        </datalist>
        <label for="proof-at">{t('proof.at')} (UTC)</label>
        <input id="proof-at" type="datetime-local" step={1} value={form.at} onInput={(e) => setForm({ ...form, at: e.currentTarget.value })} />
        <button type="submit">{t('proof.fetch')}</button>
      </form>
      {subjectId && purpose && <ProofView key={`${subjectId}|${purpose}|${at}`} subjectId={subjectId} purpose={purpose} at={at} />}
    </>
  );
}

interface Fetched {
  json: string;
  verifierKey: string;
}

async function fetchProof(subjectId: string, purpose: string, at: string): Promise<Fetched> {
  const [proof, verifierKey] = await Promise.all([
    api<unknown>(`/v1/subjects/${enc(subjectId)}/proof?purpose=${enc(purpose)}${at ? `&at=${enc(at)}` : ''}`),
    api<string>('/v1/ledger/verifier-key', { as: 'text' }),
  ]);
  return { json: JSON.stringify(proof, null, 2), verifierKey };
}

function ProofView({ subjectId, purpose, at }: { subjectId: string; purpose: string; at: string }) {
  const { t } = useI18n();
  const [fetched] = useLoad(() => fetchProof(subjectId, purpose, at), [subjectId, purpose, at]);
  return <Show loaded={fetched}>{(value) => <Verification initial={value} />}</Show>;
}

function Verification({ initial }: { initial: Fetched }) {
  const { t, language } = useI18n();
  const [json, setJson] = useState(initial.json);
  const [verdict, setVerdict] = useState<ProofVerdict | null>(null);
  const [document, setDocument] = useState<ProofDocument | null>(null);

  const verify = async (text: string) => {
    setVerdict(null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      setVerdict({ verified: false, checks: [{ kind: 'document', ok: false, detail: `not JSON: ${(error as Error).message}` }] });
      return;
    }
    setDocument(parsed as ProofDocument);
    setVerdict(await verifyProof(parsed, initial.verifierKey));
  };
  useEffect(() => void verify(initial.json), [initial]);

  return (
    <>
      <section class="card" aria-labelledby="verdict-title">
        <h2 id="verdict-title">{t('proof.verdict')}</h2>
        <p role="status" aria-live="polite" class={`verdict ${verdict ? (verdict.verified ? 'verdict-verified' : 'verdict-failed') : ''}`} data-verdict={verdict ? (verdict.verified ? 'verified' : 'failed') : 'pending'}>
          {verdict ? (verdict.verified ? `✔ ${t('proof.verified')}` : `✘ ${t('proof.failed')}`) : t('loading')}
        </p>
        {document?.decision && (
          <p>
            {t('proof.decision')}: <strong>{t(`status.${document.decision.status}` as 'status.none')}</strong> ({document.decision.legalBasis}, {document.decision.allowed ? t('yes') : t('no')})
            {document.purposeVersion && <> — v{document.purposeVersion.version} « {localized(document.purposeVersion.title as LocalizedText, language)} »</>}
          </p>
        )}
        {verdict && (
          <>
            <h3>{t('proof.checks')}</h3>
            <ul class="checks">
              {verdict.checks.map((check, i) => (
                <li key={i} class={check.ok ? 'ok' : 'failed'}>
                  <span aria-hidden="true">{check.ok ? '✔' : '✘'}</span> <strong>{t(`check.${check.kind}`)}</strong>
                  <span class="visually-hidden">{check.ok ? t('proof.verified') : t('proof.failed')}</span>
                  {check.target && <> <code>{check.target}</code></>}: <span class="detail">{check.detail}</span>
                </li>
              ))}
            </ul>
          </>
        )}
        <p class="muted">{t('proof.key')}: <code>{initial.verifierKey.trim()}</code></p>
        <div class="buttons">
          <button type="button" onClick={() => download('proof.json', json)}>{t('proof.download')}</button>
          {(document?.inclusion ?? []).map((inclusion) => (
            <button type="button" key={inclusion.eventId} onClick={() => download(`${inclusion.eventId}.tlog-proof`, inclusion.tlogProof, 'text/plain')}>
              {t('proof.downloadTlog', { name: `${inclusion.eventId}.tlog-proof` })}
            </button>
          ))}
        </div>
      </section>
      <section class="card">
        <label for="proof-json">{t('proof.json')}</label>
        <textarea id="proof-json" rows={18} spellcheck={false} value={json} onInput={(e) => setJson(e.currentTarget.value)} />
        <button type="button" onClick={() => verify(json)}>{t('proof.verify')}</button>
      </section>
    </>
  );
}

