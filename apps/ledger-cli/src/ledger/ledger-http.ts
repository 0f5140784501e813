/** A ledger over HTTP, as an auditor reaches it: base URL and (for audit:read routes) an API key. */
export class LedgerHttp {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string | undefined,
  ) {}

  async get(path: string): Promise<Response> {
    const response = await fetch(new URL(path, this.baseUrl), { headers: this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {} });
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return response;
  }

  async text(path: string): Promise<string> {
    return (await this.get(path)).text();
  }

  async json<T>(path: string): Promise<T> {
    return (await this.get(path)).json() as Promise<T>;
  }
}
