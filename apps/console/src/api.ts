/** The ledger's HTTP API as the console calls it: the key from sessionStorage, problem+json errors. */

const KEY_STORAGE = 'consent-ledger.console.apiKey';

export const storedKey = (): string | null => sessionStorage.getItem(KEY_STORAGE);
export const storeKey = (key: string): void => sessionStorage.setItem(KEY_STORAGE, key);
export const forgetKey = (): void => sessionStorage.removeItem(KEY_STORAGE);

/** Fired when the ledger no longer accepts the stored key (revoked, expired): the console signs out. */
export const KEY_REJECTED = 'consent-ledger:key-rejected';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { type?: string; title?: string; detail?: string } | undefined,
  ) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
  }

  /** The endpoint is not deployed on this ledger (another issue's part, or an older version). */
  get unavailable(): boolean {
    return this.status === 501 || (this.status === 404 && !this.problem?.type?.match(/_not_found$/));
  }
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** Defaults to JSON; 'text' for signed notes and keys; 'blob' for downloads. */
  as?: 'json' | 'text' | 'blob';
  key?: string;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {};
  const key = options.key ?? storedKey();
  if (key) headers.authorization = `Bearer ${key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  if (!response.ok) {
    const problem = await response.json().catch(() => undefined);
    if (response.status === 401 && options.key === undefined && key) {
      forgetKey();
      dispatchEvent(new Event(KEY_REJECTED));
    }
    throw new ApiError(response.status, problem);
  }
  if (options.as === 'text') return (await response.text()) as T;
  if (options.as === 'blob') return (await response.blob()) as T;
  return (await response.json()) as T;
}

/** Like api(), and also returns the response headers (Last-Modified of a checkpoint). */
export async function apiWithHeaders(path: string): Promise<{ text: string; headers: Headers }> {
  const key = storedKey();
  const response = await fetch(path, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => undefined));
  return { text: await response.text(), headers: response.headers };
}

export const enc = encodeURIComponent;
