import { useEffect, useMemo, useState } from 'preact/hooks';
import { KEY_REJECTED, forgetKey, storedKey } from './api';
import { Language, LanguageContext, initialLanguage, rememberLanguage, translator } from './i18n';
import { LedgerPage } from './pages/ledger-page';
import { ProofPage } from './pages/proof-page';
import { PurposesPage } from './pages/purposes-page';
import { SignInPage } from './pages/sign-in-page';
import { SubjectPage } from './pages/subject-page';
import { Route, href, useRoute } from './route';

const PAGES: Route['page'][] = ['subject', 'proof', 'ledger', 'purposes'];

export function App() {
  const [language, setLanguage] = useState<Language>(initialLanguage);
  const [signedIn, setSignedIn] = useState(() => storedKey() !== null);
  const route = useRoute();
  const i18n = useMemo(() => ({ language, t: translator(language) }), [language]);
  const { t } = i18n;

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = t('app.title');
    rememberLanguage(language);
  }, [language]);

  const signOut = () => {
    forgetKey();
    setSignedIn(false);
  };
  useEffect(() => {
    const onRejected = () => setSignedIn(false);
    addEventListener(KEY_REJECTED, onRejected);
    return () => removeEventListener(KEY_REJECTED, onRejected);
  }, []);

  return (
    <LanguageContext.Provider value={i18n}>
      <a class="skip" href="#main">{language === 'fr' ? 'Aller au contenu' : 'Skip to content'}</a>
      <header class="top">
        <span class="brand">{t('app.title')}</span>
        {signedIn && (
          <nav aria-label={t('nav.label')}>
            <ul>
              {PAGES.map((page) => (
                <li key={page}>
                  <a href={href(page)} aria-current={route.page === page ? 'page' : undefined}>{t(`nav.${page}`)}</a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <div class="tools">
          <label for="language">{t('lang.label')}</label>
          <select id="language" value={language} onChange={(e) => setLanguage((e.currentTarget.value as Language))}>
            <option value="en" lang="en">English</option>
            <option value="fr" lang="fr">Français</option>
          </select>
          {signedIn && <button type="button" onClick={signOut}>{t('signout')}</button>}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {!signedIn ? <SignInPage onSignedIn={() => setSignedIn(true)} /> : <Page route={route} />}
      </main>
    </LanguageContext.Provider>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'subject': return <SubjectPage subjectId={route.param} at={route.query.get('at')} />;
    case 'proof': return <ProofPage subjectId={route.param} purpose={route.query.get('purpose') ?? ''} at={route.query.get('at') ?? ''} />;
    case 'ledger': return <LedgerPage />;
    case 'purposes': return <PurposesPage />;
  }
}
