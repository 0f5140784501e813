import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { api, apiWithHeaders } from '../api';
import { DailySeries, EventsChart } from '../components/events-chart';
import { Loaded, Show, useLoad } from '../components/loaded';
import { Translate, formatInstant, useI18n } from '../i18n';
import { parseCheckpointText } from '../proof/checkpoint';

const DAY_MS = 86_400_000;
/** The feed is read page by page; past this many events the plot says it is partial. */
const FEED_CAP = 20_000;

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

interface FeedEvent { type: string; recordedAt: string }

async function eventsPerDay(days: number): Promise<DailySeries & { truncated: boolean }> {
  const since = Math.floor((Date.now() - (days - 1) * DAY_MS) / DAY_MS) * DAY_MS;
  const buckets = Array.from({ length: days }, (_, i) => since + i * DAY_MS);
  const counts = new Map<string, number[]>();
  let after = 0;
  let read = 0;
  for (;;) {
    const page = await api<{ events: FeedEvent[]; next: number }>(`/v1/events?limit=1000&after=${after}`);
    for (const event of page.events) {
      const day = Math.floor((Date.parse(event.recordedAt) - since) / DAY_MS);
      if (day < 0 || day >= days) continue;
      if (!counts.has(event.type)) counts.set(event.type, new Array(days).fill(0));
      counts.get(event.type)![day] += 1;
    }
    read += page.events.length;
    if (page.next === after || read >= FEED_CAP) break;
    after = page.next;
  }
  return {
    days: buckets.map((b) => b / 1000),
    series: [...counts.entries()].sort().map(([type, c]) => ({ label: type, counts: c })),
    truncated: read >= FEED_CAP,
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
              {d.truncated && <p class="muted">{t('ledger.truncated', { n: FEED_CAP })}</p>}
            </>}
      </Show>
    </section>
  );
}
