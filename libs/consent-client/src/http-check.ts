/** GET /v1/check failed or answered something other than a decision. */
export class ConsentCheckError extends Error {
  override readonly name = 'ConsentCheckError';

  constructor(
    message: string,
    /** The HTTP status, when the ledger answered at all. */
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface HttpCheckSettings {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
}

/** `path` on the ledger. A base with a path (a gateway prefix) keeps it: it is resolved against as a directory. */
export const ledgerUrl = (baseUrl: string, path: string): URL => new URL(path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);

/** The ledger's own answer for one (subject, purpose), for when the local cache cannot give it. */
export async function checkOverHttp(settings: HttpCheckSettings, subjectId: string, purpose: string, minPosition?: number | string): Promise<boolean> {
  const url = ledgerUrl(settings.baseUrl, 'v1/check');
  url.searchParams.set('subjectId', subjectId);
  url.searchParams.set('purpose', purpose);
  if (minPosition !== undefined) url.searchParams.set('minPosition', String(minPosition));
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Bearer ${settings.apiKey}`, accept: 'application/json' },
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
  } catch (error) {
    throw new ConsentCheckError(`GET ${url.pathname} failed: ${(error as Error).message}`, undefined, { cause: error });
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const detail = (body as { detail?: unknown } | null)?.detail;
    const explanation = typeof detail === 'string' ? `: ${detail}` : '';
    throw new ConsentCheckError(`GET ${url.pathname} answered ${response.status}${explanation}`, response.status);
  }
  const allowed = (body as { allowed?: unknown } | null)?.allowed;
  if (typeof allowed !== 'boolean') {
    throw new ConsentCheckError(`GET ${url.pathname} answered without a boolean "allowed"`, response.status);
  }
  return allowed;
}
