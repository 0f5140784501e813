import { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { useI18n } from '../i18n';

export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'ok'; value: T }
  | { state: 'unavailable'; detail: string }
  | { state: 'error'; error: ApiError | Error };

export function settle<T>(promise: Promise<T>): Promise<Loaded<T>> {
  return promise.then(
    (value): Loaded<T> => ({ state: 'ok', value }),
    (error: unknown): Loaded<T> => error instanceof ApiError && error.unavailable
      ? { state: 'unavailable', detail: error.message }
      : { state: 'error', error: error instanceof Error ? error : new Error(String(error)) },
  );
}

/**
 * Loads when `deps` change; a load started earlier never overwrites a later one. The returned reload
 * keeps the current value on screen until the new one arrives, so that what the page shows around it
 * (a message, the focus) is not torn down.
 */
export function useLoad<T>(load: (() => Promise<T>) | null, deps: unknown[]): [Loaded<T>, () => void] {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);
  const loadedGeneration = useRef(generation);
  useEffect(() => {
    if (!load) return;
    let current = true;
    if (loadedGeneration.current === generation) setLoaded({ state: 'loading' });
    loadedGeneration.current = generation;
    void settle(load()).then((result) => current && setLoaded(result));
    return () => {
      current = false;
    };
  }, [...deps, generation]);
  return [loaded, () => setGeneration((g) => g + 1)];
}

/** Renders the value, or says plainly that it is loading, unavailable on this ledger, or failed. */
export function Show<T>({ loaded, children }: { loaded: Loaded<T>; children: (value: T) => ComponentChildren }) {
  const { t } = useI18n();
  switch (loaded.state) {
    case 'loading': return <p class="muted" role="status">{t('loading')}</p>;
    case 'unavailable': return <p class="unavailable" role="status"><strong>{t('unavailable')}</strong> <span class="muted">({loaded.detail})</span></p>;
    case 'error': return <p class="error" role="alert">{t('error')}: {loaded.error.message}</p>;
    case 'ok': return <>{children(loaded.value)}</>;
  }
}
