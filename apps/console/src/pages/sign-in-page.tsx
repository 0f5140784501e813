import { useState } from 'preact/hooks';
import { ApiError, api, storeKey } from '../api';
import { useI18n } from '../i18n';

/** Any valid key may read purposes: that call tells a valid key from a rejected one. */
export function SignInPage({ onSignedIn }: { onSignedIn: () => void }) {
  const { t } = useI18n();
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      await api('/v1/purposes', { key: key.trim() });
      storeKey(key.trim());
      onSignedIn();
    } catch (failure) {
      setError(failure instanceof ApiError ? `${t('signin.rejected')} (${failure.status}): ${failure.message}` : String(failure));
    }
  };

  return (
    <section class="card narrow" aria-labelledby="signin-title">
      <h1 id="signin-title">{t('signin.title')}</h1>
      <form onSubmit={submit}>
        <label for="api-key">{t('signin.key')}</label>
        <input id="api-key" type="password" autoComplete="off" required value={key} onInput={(e) => setKey(e.currentTarget.value)} aria-describedby="signin-help" />
        <p id="signin-help" class="muted">{t('signin.help')}</p>
        <button type="submit">{t('signin.submit')}</button>
        {error && <p class="error" role="alert">{error}</p>}
      </form>
    </section>
  );
}
