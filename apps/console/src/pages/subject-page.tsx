import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, enc } from '../api';
import { Fields } from '../components/fields';
import { Show, useLoad } from '../components/loaded';
import { download } from '../download';
import { formatInstant, localized, useI18n } from '../i18n';
import { purposeHistory, subjectHistory } from '../ledger-reads';
import { ConsentsView, HistoryEvent, PurposeHistory } from '../ledger-types';
import { href, navigate } from '../route';

const GENESIS_HASH = '0'.repeat(64);
const DAY_MS = 86_400_000;

export function SubjectPage({ subjectId, at }: { subjectId: string; at: string | null }) {
  const { t } = useI18n();
  const [query, setQuery] = useState(subjectId);
  useEffect(() => setQuery(subjectId), [subjectId]);

  return (
    <>
      <h1>{t('subject.title')}{subjectId && <> <code class="subject-id">{subjectId}</code></>}</h1>
      <form class="inline" role="search" onSubmit={(e) => { e.preventDefault(); if (query.trim()) navigate(href('subject', query.trim())); }}>
        <label for="subject-search">{t('subject.search')}</label>
        <input id="subject-search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} pattern="[A-Za-z0-9._:@+\-]{1,128}" required />
        <button type="submit">{t('subject.find')}</button>
      </form>
      {subjectId && <SubjectView key={subjectId} subjectId={subjectId} at={at} />}
    </>
  );
}

interface SubjectData {
  events: HistoryEvent[];
  purposes: Map<string, PurposeHistory>;
}

async function loadSubject(subjectId: string): Promise<SubjectData> {
  const events = await subjectHistory(subjectId);
  const ids = [...new Set(events.map((e) => e.purpose).filter((p): p is string => !!p))];
  const purposes = new Map<string, PurposeHistory>();
  await Promise.all(ids.map(async (id) => purposes.set(id, await purposeHistory(id))));
  return { events, purposes };
}

function SubjectView({ subjectId, at }: { subjectId: string; at: string | null }) {
  const { t } = useI18n();
  const [data, reload] = useLoad(() => loadSubject(subjectId), [subjectId]);
  return (
    <Show loaded={data}>
      {({ events, purposes }) => events.length === 0
        ? <p role="status">{t('subject.none')}</p>
        : <>
            <StateAt subjectId={subjectId} at={at} events={events} />
            <Rights subjectId={subjectId} events={events} onErased={reload} />
            <Timeline subjectId={subjectId} events={events} purposes={purposes} />
          </>}
    </Show>
  );
}

/** The state per purpose at an instant: a slider over the subject's history, kept in the URL (?at=). */
function StateAt({ subjectId, at, events }: { subjectId: string; at: string | null; events: HistoryEvent[] }) {
  const { t, language } = useI18n();
  const min = Math.min(...events.map((e) => Date.parse(e.occurredAt))) - DAY_MS;
  const [max] = useState(() => Date.now());
  const committed = at ? Date.parse(at) : max;
  const [shown, setShown] = useState(committed);
  useEffect(() => setShown(committed), [committed]);
  const [consents] = useLoad(
    () => api<ConsentsView>(`/v1/subjects/${enc(subjectId)}/consents${at ? `?at=${enc(at)}` : ''}`),
    [subjectId, at],
  );
  const step = 60_000;
  // The slider's last notch (snapped to a step below max) stands for now.
  const commit = (value: number) => navigate(href('subject', subjectId, { at: value > max - step ? undefined : new Date(value).toISOString() }), true);

  return (
    <section aria-labelledby="state-title" class="card">
      <h2 id="state-title">{t('subject.state')}</h2>
      <div class="slider">
        <label for="at-slider">{t('subject.slider')}</label>
        <input
          id="at-slider" type="range" min={min} max={max} step={step} value={shown} list="event-instants"
          aria-valuetext={formatInstant(new Date(shown).toISOString(), language)}
          onInput={(e) => setShown(Number(e.currentTarget.value))}
          onChange={(e) => commit(Number(e.currentTarget.value))}
        />
        <datalist id="event-instants">
          {events.map((e) => <option key={e.eventId} value={Date.parse(e.occurredAt)} />)}
        </datalist>
        <p>
          {t('subject.at')} <output for="at-slider" id="at-value">{formatInstant(new Date(shown).toISOString(), language)}</output>
          {' '}<button type="button" onClick={() => commit(max)} disabled={!at}>{t('subject.now')}</button>
        </p>
      </div>
      <Show loaded={consents}>
        {(view) => (
          <table class="state">
            <thead>
              <tr>
                <th scope="col">{t('col.purpose')}</th><th scope="col">{t('col.status')}</th><th scope="col">{t('col.allowed')}</th>
                <th scope="col">{t('col.version')}</th><th scope="col">{t('col.since')}</th><th scope="col">{t('col.expires')}</th>
                <th scope="col">{t('nav.proof')}</th>
              </tr>
            </thead>
            <tbody>
              {view.consents.map((c) => (
                <tr key={c.purpose} data-purpose={c.purpose}>
                  <th scope="row">{c.purpose}</th>
                  <td><span class={`status status-${c.status}`} data-status={c.status}>{t(`status.${c.status}` as 'status.none')}</span>
                    {c.reconsentRequired && <span class="muted"> ({t('col.reconsent')})</span>}</td>
                  <td>{c.allowed ? t('yes') : t('no')}</td>
                  <td>{c.purposeVersion ?? '—'} / {c.currentPurposeVersion}</td>
                  <td>{formatInstant(c.since, language)}</td>
                  <td>{c.expiresAt ? formatInstant(c.expiresAt, language) : t('never')}</td>
                  <td><a href={href('proof', subjectId, { purpose: c.purpose, at: at ?? undefined })}>{t('nav.proof')}<span class="visually-hidden"> {c.purpose}</span></a></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Show>
    </section>
  );
}

/** Export and erasure, each offered only when it can do something; a missing scope is said plainly. */
function Rights({ subjectId, events, onErased }: { subjectId: string; events: HistoryEvent[]; onErased: () => void }) {
  const { t } = useI18n();
  const erased = events.some((e) => e.type === 'SubjectErased');
  const [message, setMessage] = useState<string | null>(null);
  const [confirmation, setConfirmation] = useState('');
  const dialog = useRef<HTMLDialogElement>(null);

  const explain = (error: unknown, scope: string) => {
    if (error instanceof ApiError && error.status === 403) return t('scope.missing', { scope });
    if (error instanceof ApiError && error.unavailable) return `${t('unavailable')} (${error.message})`;
    return `${t('error')}: ${error instanceof Error ? error.message : String(error)}`;
  };
  const exportAs = async (format?: 'iso27560') => {
    setMessage(null);
    try {
      const blob = await api<Blob>(`/v1/subjects/${enc(subjectId)}/export${format ? `?format=${format}` : ''}`, { as: 'blob' });
      download(`${subjectId}${format ? '.iso27560.jsonld' : '.json'}`, blob);
    } catch (error) {
      setMessage(explain(error, 'audit:read'));
    }
  };
  const erase = async (event: Event) => {
    event.preventDefault();
    if (confirmation !== subjectId) return;
    try {
      await api(`/v1/subjects/${enc(subjectId)}/erasure`, { method: 'POST', body: {} });
      dialog.current?.close();
      setMessage(t('erase.done'));
      onErased();
    } catch (error) {
      dialog.current?.close();
      setMessage(explain(error, 'subjects:erase'));
    }
  };

  return (
    <section class="actions" aria-label="GDPR">
      {erased && <p class="notice" role="note">{t('subject.erased')}</p>}
      <button type="button" onClick={() => exportAs()}>{t('export.json')}</button>
      <button type="button" onClick={() => exportAs('iso27560')}>{t('export.iso')}</button>
      {!erased && <button type="button" class="danger" onClick={() => { setConfirmation(''); dialog.current?.showModal(); }}>{t('erase.button')}</button>}
      {message && <p role="status" class="message">{message}</p>}
      <dialog ref={dialog} aria-labelledby="erase-title">
        <form onSubmit={erase}>
          <h2 id="erase-title">{t('erase.title', { id: subjectId })}</h2>
          <p>{t('erase.explain')}</p>
          <label for="erase-confirm">{t('erase.confirmLabel')}</label>
          <input id="erase-confirm" value={confirmation} autoComplete="off" onInput={(e) => setConfirmation(e.currentTarget.value)} />
          <div class="buttons">
            <button type="button" onClick={() => dialog.current?.close()}>{t('erase.cancel')}</button>
            <button type="submit" class="danger" disabled={confirmation !== subjectId}>{t('erase.confirm', { id: subjectId })}</button>
          </div>
        </form>
      </dialog>
    </section>
  );
}

function Timeline({ subjectId, events, purposes }: { subjectId: string; events: HistoryEvent[]; purposes: Map<string, PurposeHistory> }) {
  const { t, language } = useI18n();
  const byVersion = new Map(events.map((e) => [e.streamVersion, e]));
  return (
    <section aria-labelledby="timeline-title" class="card">
      <h2 id="timeline-title">{t('subject.timeline')}</h2>
      <table class="timeline">
        <thead>
          <tr>
            <th scope="col">{t('col.stream')}</th><th scope="col">{t('col.type')}</th><th scope="col">{t('col.occurred')} / {t('col.recorded')}</th>
            <th scope="col">{t('col.source')}</th><th scope="col">{t('col.proof')}</th><th scope="col">{t('col.chain')}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => {
            const version = event.purpose && event.purposeVersion ? purposes.get(event.purpose)?.versions.find((v) => v.version === event.purposeVersion) : undefined;
            const previous = byVersion.get(event.streamVersion - 1);
            const link = event.streamVersion === 1
              ? (event.prevHash === GENESIS_HASH ? 'genesis' : 'broken')
              : previous ? (previous.hash === event.prevHash ? 'ok' : 'broken') : 'unknown';
            return (
              <tr key={event.eventId} data-event-type={event.type}>
                <td>{event.streamVersion}</td>
                <td>
                  <strong>{event.type}</strong>
                  {event.purpose && <div>{event.purpose} v{event.purposeVersion}</div>}
                  {version && (
                    <details>
                      <summary>{t('text.shown', { v: version.version })}</summary>
                      <p><strong>{localized(version.title, language)}</strong></p>
                      <p class="purpose-text">{localized(version.description, language)}</p>
                    </details>
                  )}
                  <a href={href('subject', subjectId, { at: event.occurredAt })}>{t('subject.afterEvent')}</a>
                </td>
                <td><time dateTime={event.occurredAt}>{formatInstant(event.occurredAt, language)}</time><br />
                  <span class="muted"><time dateTime={event.recordedAt}>{formatInstant(event.recordedAt, language)}</time></span></td>
                <td><Fields record={event.source} />
                  {event.enforcements?.map((e) => <div class="muted" key={e.service}>✔ {e.service} ({e.latencyMs} ms)</div>)}</td>
                <td class="proof-fields"><Fields record={event.proof} /></td>
                <td class={`chain chain-${link}`}>
                  <code title={event.prevHash}>{event.prevHash.slice(0, 10)}…</code> → <code title={event.hash}>{event.hash.slice(0, 10)}…</code>
                  <div>{t(`chain.${link}` as 'chain.ok')}</div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
