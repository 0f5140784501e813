import { diffWords } from 'diff';
import { useState } from 'preact/hooks';
import { Show, useLoad } from '../components/loaded';
import { Translate, formatInstant, localized, useI18n } from '../i18n';
import { purposeHistory, purposeList } from '../ledger-reads';
import { PurposeHistory, PurposeVersion } from '../ledger-types';

const loadAll = async (): Promise<PurposeHistory[]> => Promise.all((await purposeList()).map((p) => purposeHistory(p.purposeId)));

export function PurposesPage() {
  const { t } = useI18n();
  const [purposes] = useLoad(loadAll, []);
  return (
    <>
      <h1>{t('purposes.title')}</h1>
      <Show loaded={purposes}>{(list) => <>{list.map((p) => <PurposeCard key={p.purposeId} purpose={p} />)}</>}</Show>
    </>
  );
}

const validity = (v: PurposeVersion, t: Translate) => (v.validityDays === null ? t('purposes.noExpiry') : t('purposes.days', { n: v.validityDays }));

function PurposeCard({ purpose }: { purpose: PurposeHistory }) {
  const { t, language } = useI18n();
  const current = purpose.versions[purpose.versions.length - 1];
  const headingId = `purpose-${purpose.purposeId}`;
  return (
    <section class="card" aria-labelledby={headingId} data-purpose={purpose.purposeId}>
      <h2 id={headingId}>{localized(current.title, language)} <code>{purpose.purposeId}</code>
        {purpose.retiredAt && <span class="notice"> {t('purposes.retired')} {formatInstant(purpose.retiredAt, language)}</span>}</h2>
      <p>{localized(current.description, language)}</p>
      <table>
        <caption>{t('purposes.versions')}</caption>
        <thead>
          <tr><th scope="col">{t('col.version')}</th><th scope="col">{t('purposes.titleField')}</th><th scope="col">{t('purposes.basis')}</th>
            <th scope="col">{t('purposes.validity')}</th><th scope="col">{t('purposes.published')}</th><th scope="col">{t('purposes.material')}</th></tr>
        </thead>
        <tbody>
          {purpose.versions.map((v) => (
            <tr key={v.version}>
              <th scope="row">{v.version}</th><td>{localized(v.title, language)}</td><td>{v.legalBasis}</td><td>{validity(v, t)}</td>
              <td>{formatInstant(v.publishedAt, language)}</td><td>{v.materialChange ? t('yes') : t('no')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {purpose.versions.length > 1 && <VersionDiff purpose={purpose} />}
    </section>
  );
}

/** Word diff of two versions' title and description, in the interface language when provided. */
function VersionDiff({ purpose }: { purpose: PurposeHistory }) {
  const { t, language } = useI18n();
  const [from, setFrom] = useState(purpose.versions.length - 1);
  const [to, setTo] = useState(purpose.versions.length);
  const a = purpose.versions[from - 1];
  const b = purpose.versions[to - 1];
  const id = purpose.purposeId;
  const options = purpose.versions.map((v) => <option key={v.version} value={v.version}>{v.version}</option>);
  return (
    <div class="diff" aria-label={`${t('purposes.diff')} ${id}`} role="group">
      <h3>{t('purposes.diff')}</h3>
      <label for={`${id}-from`}>{t('purposes.from')}</label>{' '}
      <select id={`${id}-from`} value={from} onChange={(e) => setFrom(Number(e.currentTarget.value))}>{options}</select>{' '}
      <label for={`${id}-to`}>{t('purposes.to')}</label>{' '}
      <select id={`${id}-to`} value={to} onChange={(e) => setTo(Number(e.currentTarget.value))}>{options}</select>
      <dl>
        <dt>{t('purposes.titleField')}</dt><dd><WordDiff a={localized(a.title, language)} b={localized(b.title, language)} /></dd>
        <dt>{t('purposes.description')}</dt><dd><WordDiff a={localized(a.description, language)} b={localized(b.description, language)} /></dd>
        <dt>{t('purposes.basis')}</dt><dd><WordDiff a={a.legalBasis} b={b.legalBasis} /></dd>
        <dt>{t('purposes.validity')}</dt><dd><WordDiff a={validity(a, t)} b={validity(b, t)} /></dd>
      </dl>
    </div>
  );
}

function WordDiff({ a, b }: { a: string; b: string }) {
  return (
    <p class="purpose-text">
      {diffWords(a, b).map((part, i) => part.added ? <ins key={i}>{part.value}</ins> : part.removed ? <del key={i}>{part.value}</del> : <span key={i}>{part.value}</span>)}
    </p>
  );
}
