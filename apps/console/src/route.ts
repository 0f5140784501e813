import { useEffect, useState } from 'preact/hooks';

/** Hash routes (#/subject/alice?at=...), so that the ledger serves one static index.html. */
export interface Route {
  page: 'subject' | 'proof' | 'ledger' | 'purposes';
  param: string;
  query: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const [path, search = ''] = hash.replace(/^#\/?/, '').split('?');
  const [page, ...rest] = path.split('/');
  const known = ['subject', 'proof', 'ledger', 'purposes'] as const;
  return {
    page: (known as readonly string[]).includes(page) ? (page as Route['page']) : 'subject',
    param: decodeURIComponent(rest.join('/')),
    query: new URLSearchParams(search),
  };
}

export function href(page: Route['page'], param = '', query: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => !!e[1])).toString();
  return `#/${page}${param ? `/${encodeURIComponent(param)}` : ''}${search ? `?${search}` : ''}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export const navigate = (target: string, replace = false): void => {
  if (replace) history.replaceState(null, '', target);
  else location.hash = target;
  if (replace) dispatchEvent(new HashChangeEvent('hashchange'));
};
