import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface CheckRequest {
  url: URL;
  headers: IncomingHttpHeaders;
}

/** Stands in for the ledger's GET /v1/check and records every request, so a test can assert there were none. */
export class FakeCheckServer {
  readonly requests: CheckRequest[] = [];
  /** Subjects the fake ledger allows, whatever the purpose. */
  readonly allowed = new Set<string>();
  /** When set, every request is answered with this status and a problem+json body. */
  failWith: number | null = null;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeCheckServer> {
    const server = createServer();
    const fake = new FakeCheckServer(server);
    server.on('request', (request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      fake.requests.push({ url, headers: request.headers });
      if (fake.failWith !== null) {
        response.writeHead(fake.failWith, { 'content-type': 'application/problem+json' });
        response.end(JSON.stringify({ type: 'about:blank', title: 'Unavailable', status: fake.failWith, detail: 'database is down' }));
        return;
      }
      const subjectId = url.searchParams.get('subjectId') ?? '';
      const allowed = fake.allowed.has(subjectId);
      response.writeHead(200, { 'content-type': 'application/json' });
      const purpose = url.searchParams.get('purpose');
      response.end(JSON.stringify({ subjectId, purpose, allowed, status: allowed ? 'granted' : 'none', reason: 'test' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }
}
