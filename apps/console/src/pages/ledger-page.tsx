import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { api, apiWithHeaders } from '../api';
import { DailySeries, EventsChart } from '../components/events-chart';
import { Loaded, Show, useLoad } from '../components/loaded';
import { Translate, formatInstant, useI18n } from '../i18n';
import { parseCheckpointText } from '../proof/checkpoint';

const DAY_MS = 86_400_000;

interface VerifyReport { valid: boolean; events: number; streams: number; firstInvalid?: Record<string, unknown> }
interface HealthReport { status: string; details?: Record<string, Record<string, unknown>> }

export function LedgerPage() {
  const { t } = useI18n();
  const [checkpoint] = useLoad(() => apiWithHeaders('/v1/ledger/checkpoint'), []);
  const [report, rerun] = useLoad(() => api<VerifyReport>('/v1/ledger/verify'), []);
  return (
    <>
      <h1>{t('ledger.title')}</h1>
      <div class="grid">
        <CheckpointCard checkpoint={checkpoint} report={report} />
        <VerifyCard report={report} rerun={rerun} />
        <HealthCard />
      </div>
      <EventsPerDay />
    </>
  );
}

/** The sealer's lag as the console can see it: events the ledger holds (verify) beyond the signed tree. */
function CheckpointCard({ checkpoint, report }: { checkpoint: Loaded<{ text: string; headers: Headers }>; report: Loaded<VerifyReport> }) {
  const { t, language } = useI18n();
  return (
    <section class="card" aria-labelledby="checkpoint-title">
      <h2 id="checkpoint-title">{t('ledger.checkpoint')}</h2>
      <Show loaded={checkpoint}>
        {({ text, headers }) => {
          const body = parseCheckpointText(text.slice(0, text.lastIndexOf('\n\n') + 1));
          const modified = headers.get('last-modified');
          return (
            <dl class="fields">
              <dt>{t('ledger.origin')}</dt><dd><code>{body.origin}</code></dd>
              <dt>{t('ledger.treeSize')}</dt><dd data-testid="tree-size">{body.treeSize}</dd>
              <dt>{t('ledger.age')}</dt>
              <dd>{modified ? `${Math.round((Date.now() - Date.parse(modified)) / 1000)} s (${formatInstant(new Date(modified).toISOString(), language)})` : t('ledger.unknownAge')}</dd>
              {report.state === 'ok' && <><dt>{t('ledger.unsealed')}</dt><dd data-testid="unsealed">{Math.max(0, report.value.events - body.treeSize)}</dd></>}
            </dl>
          );
        }}
      </Show>
    </section>
  );
}

function VerifyCard({ report, rerun }: { report: Loaded<VerifyReport>; rerun: () => void }) {
  const { t } = useI18n();
  return (
    <section class="card" aria-labelledby="verify-title">
      <h2 id="verify-title">{t('ledger.verify')}</h2>
      <Show loaded={report}>
        {(r) => (
          <>
            <p role="status" class={r.valid ? 'verdict verdict-verified' : 'verdict verdict-failed'}>{r.valid ? `✔ ${t('ledger.valid')}` : `✘ ${t('ledger.invalid')}`}</p>
            <p>{r.events} {t('ledger.events')}, {r.streams} {t('ledger.streams')}</p>
            {r.firstInvalid && <pre>{JSON.stringify(r.firstInvalid, null, 2)}</pre>}
          </>
        )}
      </Show>
      <button type="button" onClick={rerun}>{t('ledger.run')}</button>
    </section>
  );
}

/** Every component /health/ready reports, with the lag fields (relay, sealer) when it gives them. */
function HealthCard() {
  const { t } = useI18n();
  const [health] = useLoad(() => fetch('/health/ready').then((r) => r.json() as Promise<HealthReport>), []);
  return (
    <section class="card" aria-labelledby="health-title">
      <h2 id="health-title">{t('ledger.health')}</h2>
      <Show loaded={health}>
        {(h) => (
          <dl class="fields">
            {Object.entries(h.details ?? {}).map(([name, detail]) => (
              <Fragment key={name}>
                <dt>{name}</dt>
                <dd data-component={name}>{String(detail.status ?? '')}{lagOf(detail, t)}</dd>
              </Fragment>
            ))}
          </dl>
        )}
      </Show>
    </section>
  );
}

function lagOf(detail: Record<string, unknown>, t: Translate): string {
  const lags = Object.entries(detail).filter(([key, value]) => /lag/i.test(key) && value !== undefined && value !== null);
  return lags.map(([key, value]) => `, ${key === 'lag' ? t('ledger.lag') : key}: ${String(value)}`).join('');
}

interface DailyCounts { from: string; days: number; counts: { day: string; type: string; count: number }[] }

/** Counted by the ledger per UTC day and type (GET /v1/ledger/daily-counts), laid out for the chart. */
async function eventsPerDay(days: number): Promise<DailySeries> {
  const answer = await api<DailyCounts>(`/v1/ledger/daily-counts?days=${days}`);
  const since = Date.parse(`${answer.from}T00:00:00Z`);
  const counts = new Map<string, number[]>();
  for (const { day, type, count } of answer.counts) {
    if (!counts.has(type)) counts.set(type, new Array(days).fill(0));
    counts.get(type)![Math.round((Date.parse(`${day}T00:00:00Z`) - since) / DAY_MS)] = count;
  }
  return {
    days: Array.from({ length: days }, (_, i) => (since + i * DAY_MS) / 1000),
    series: [...counts.entries()].sort().map(([type, c]) => ({ label: type, counts: c })),
  };
}

function EventsPerDay() {
  const { t } = useI18n();
  const [days, setDays] = useState(30);
  const [data] = useLoad(() => eventsPerDay(days), [days]);
  return (
    <section class="card" aria-labelledby="plot-title">
      <h2 id="plot-title">{t('ledger.plot')}</h2>
      <label for="period">{t('ledger.period')}</label>{' '}
      <select id="period" value={days} onChange={(e) => setDays(Number(e.currentTarget.value))}>
        {[7, 30, 90, 365].map((n) => <option key={n} value={n}>{t('ledger.days', { n })}</option>)}
      </select>
      <Show loaded={data}>
        {(d) => d.series.length === 0
          ? <p>{t('ledger.noEvents')}</p>
          : <>
              <EventsChart data={d} title={t('ledger.plot')} />
              <table class="visually-hidden">
                <caption>{t('ledger.plot')}</caption>
                <thead><tr><th scope="col">day</th>{d.series.map((s) => <th scope="col" key={s.label}>{s.label}</th>)}</tr></thead>
                <tbody>{d.days.map((day, i) => <tr key={day}><th scope="row">{new Date(day * 1000).toISOString().slice(0, 10)}</th>{d.series.map((s) => <td key={s.label}>{s.counts[i]}</td>)}</tr>)}</tbody>
              </table>
            </>}
      </Show>
    </section>
  );
}
