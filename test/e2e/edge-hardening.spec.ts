import { withPgClient } from '@consent-ledger/runtime';
import { request as httpRequest } from 'node:http';
import { HttpResponse, LedgerApp } from './ledger-app';

const source = { channel: 'web' };
const grant = { type: 'ConsentGranted', purpose: 'newsletter' };

const expectProblem = (response: HttpResponse, status: number) => {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
};

/** One raw HTTP/1.1 exchange, for requests fetch() refuses to send (oversized headers). */
function rawRequest(baseUrl: string, path: string, headers: Record<string, string>): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${baseUrl}${path}`, { headers }, (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({
        status: response.statusCode ?? 0,
        headers: new Headers(response.headers as Record<string, string>),
        body: text ? JSON.parse(text) : undefined,
      }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('the HTTP edge', () => {
  let ledger: LedgerApp;
  const eventCount = () => withPgClient(ledger.databaseUrl, async (client) => Number((await client.query('SELECT count(*) AS n FROM events')).rows[0].n));

  beforeAll(async () => {
    ledger = await LedgerApp.start({ AUTH_FAILURES_PER_MINUTE: '50' });
    expect((await ledger.put('/v1/purposes/newsletter', { title: 'Newsletter', description: 'Weekly e-mail.', legalBasis: 'consent' })).status).toBe(201);
  });
  afterAll(() => ledger.close());

  describe('errors Fastify raises itself are problem+json', () => {
    it('accepts a 128-character subjectId on every path route, and answers a longer path parameter with 400 or 414', async () => {
      const id = 'a'.repeat(128);
      expect((await ledger.post(`/v1/subjects/${id}/events`, { events: [grant], source })).status).toBe(201);
      expect((await ledger.get(`/v1/subjects/${id}/events`)).status).toBe(200);
      expect((await ledger.get(`/v1/subjects/${id}/consents`)).status).toBe(200);
      expect((await ledger.get(`/v1/subjects/${id}/consents/newsletter`)).status).toBe(200);
      const tooLong = await ledger.get(`/v1/subjects/${'a'.repeat(129)}/consents`);
      expectProblem(tooLong, 400);
      expect(tooLong.body.errors[0].field).toBe('subjectId');
      expectProblem(await ledger.get(`/v1/subjects/${'a'.repeat(1000)}/consents`), 414);
    });

    it('431 for headers over the limit', async () => {
      expectProblem(await rawRequest(ledger.baseUrl, '/v1/purposes', { 'x-padding': 'x'.repeat(20_000) }), 431);
    });

    it('415 for a body that is not JSON, 413 over the limit', async () => {
      expectProblem(await ledger.request('POST', '/v1/subjects/u1/events', { rawBody: 'events=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415);
      expectProblem(await ledger.request('POST', '/v1/subjects/u1/events', { rawBody: 'hello', headers: { 'content-type': 'text/plain' } }), 415);
      expectProblem(await ledger.request('POST', '/v1/subjects/u1/events', { rawBody: JSON.stringify({ events: [grant], source, pad: 'x'.repeat(3 << 20) }) }), 413);
    });

    it('says what is wrong with a __proto__ key, an empty body and malformed JSON', async () => {
      const proto = await ledger.request('POST', '/v1/subjects/u1/events', { rawBody: `{"events":[{"type":"ConsentGranted","purpose":"newsletter"}],"source":{"channel":"web"},"__proto__":{"admin":true}}` });
      expectProblem(proto, 400);
      expect(proto.body.detail).toContain('__proto__');
      expect(proto.body.type).toContain('forbidden_json_key');
      const empty = await ledger.request('POST', '/v1/subjects/u1/events', { rawBody: ' ' });
      expectProblem(empty, 400);
      expect(empty.body.detail).toContain('empty');
      expectProblem(await ledger.request('POST', '/v1/subjects/u1/events', { rawBody: '{"events": [' }), 400);
    });

    it('400 for JSON nested 10,000 deep, without parsing it', async () => {
      const deep = `{"events":${'['.repeat(10_000)}${']'.repeat(10_000)},"source":{"channel":"web"}}`;
      const response = await ledger.request('POST', '/v1/subjects/u1/events', { rawBody: deep });
      expectProblem(response, 400);
      expect(response.body.type).toContain('json_too_deep');
    });
  });

  describe('bad input is 400, never 500, and writes nothing', () => {
    const badText = { nul: 'web\u0000', loneHigh: 'web\uD800', loneLow: '\uDC00web' };

    it.each([
      ['source.channel', (text: string) => ({ events: [grant], source: { channel: text } })],
      ['source.collectionPoint', (text: string) => ({ events: [grant], source: { channel: 'web', collectionPoint: text } })],
      ['source.policyVersion', (text: string) => ({ events: [grant], source: { channel: 'web', policyVersion: text } })],
      ['proof.method', (text: string) => ({ events: [grant], source, proof: { method: text } })],
      ['proof.userAgent', (text: string) => ({ events: [grant], source, proof: { userAgent: text } })],
    ])('%s with a NUL or a lone surrogate', async (field, body) => {
      const before = await eventCount();
      for (const text of Object.values(badText)) {
        const response = await ledger.post('/v1/subjects/text-subject/events', body(text));
        expectProblem(response, 400);
        expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      }
      expect(await eventCount()).toBe(before);
    });

    it('a purpose title or an API key name with a NUL', async () => {
      expectProblem(await ledger.put('/v1/purposes/nul-title', { title: 'a\u0000b', description: 'x', legalBasis: 'consent' }), 400);
      expectProblem(await ledger.post('/v1/api-keys', { name: 'a\u0000b', scopes: ['events:write'] }), 400);
      expectProblem(await ledger.get('/v1/purposes/nul-title'), 404);
      const keys = await ledger.get('/v1/api-keys');
      expect(keys.body.apiKeys.map((key: { name: string }) => key.name)).not.toContain('a\u0000b');
    });

    it('{"events":[[]]} is a field error, not a rule violation', async () => {
      const before = await eventCount();
      const response = await ledger.post('/v1/subjects/u1/events', { events: [[]], source });
      expectProblem(response, 400);
      expect(response.body.errors[0].field).toBe('events');
      expect(await eventCount()).toBe(before);
    });

    it('cursors beyond their column: ?after=2147483648 on history, ?after=9223372036854775808 on the feed', async () => {
      const history = await ledger.get('/v1/subjects/u1/events?after=2147483648');
      expectProblem(history, 400);
      expect(history.body.errors[0].field).toBe('after');
      expect((await ledger.get('/v1/subjects/u1/events?after=2147483647')).status).toBe(200);
      expectProblem(await ledger.get('/v1/events?after=9223372036854775808'), 400);
      expect((await ledger.get(`/v1/events?after=${Number.MAX_SAFE_INTEGER}`)).status).toBe(200);
    });

    it.each(['2024-W01', '2024-01-01T10', '2024-01-01', '2024-02-30T00:00:00Z'])('?at=%s', async (at) => {
      const response = await ledger.get(`/v1/subjects/u1/consents?at=${encodeURIComponent(at)}`);
      expectProblem(response, 400);
      expect(response.body.errors[0].field).toBe('at');
      expectProblem(await ledger.get(`/v1/subjects/u1/consents/newsletter?at=${encodeURIComponent(at)}`), 400);
    });

    it('an occurredAt without a zone', async () => {
      const before = await eventCount();
      expectProblem(await ledger.post('/v1/subjects/u1/events', { events: [grant], source, occurredAt: '2024-01-01T10:00' }), 400);
      expect(await eventCount()).toBe(before);
    });
  });

  describe('authentication comes first', () => {
    it('an unauthenticated POST with a bad or oversized body gets 401', async () => {
      expectProblem(await ledger.request('POST', '/v1/subjects/u1/events', { key: null, rawBody: '{"events": [' }), 401);
      expectProblem(await ledger.request('POST', '/v1/subjects/u1/events', { key: null, body: { events: [[]] } }), 401);
      expectProblem(await ledger.request('POST', '/v1/subjects/u1/events', { key: 'clk_wrong', rawBody: 'x'.repeat(3 << 20) }), 401);
    });

    it('HEAD, which Fastify derives from GET routes, needs a key too', async () => {
      expect((await fetch(`${ledger.baseUrl}/v1/purposes`, { method: 'HEAD' })).status).toBe(401);
      expect((await fetch(`${ledger.baseUrl}/v1/purposes`, { method: 'HEAD', headers: { authorization: `Bearer ${ledger.adminKey}` } })).status).toBe(200);
    });

    it('an unknown route is 404 with or without a key', async () => {
      expectProblem(await ledger.get('/v1/no-such-route', null), 404);
      expectProblem(await ledger.get('/v1/no-such-route'), 404);
    });

    it('a key without the scope gets 403 before its body is looked at', async () => {
      const reader = (await ledger.post('/v1/api-keys', { name: 'reader', scopes: ['consents:read'] })).body.secret;
      expectProblem(await ledger.request('POST', '/v1/subjects/u1/events', { key: reader, rawBody: '{"events": [' }), 403);
    });
  });

  describe('security headers', () => {
    it('nosniff everywhere, no-store on /v1, no CORS without CORS_ORIGINS', async () => {
      const purposes = await ledger.request('GET', '/v1/purposes', { headers: { origin: 'https://evil.example' } });
      expect(purposes.headers.get('x-content-type-options')).toBe('nosniff');
      expect(purposes.headers.get('cache-control')).toBe('no-store');
      expect(purposes.headers.get('access-control-allow-origin')).toBeNull();
      const unauthenticated = await ledger.get('/v1/purposes', null);
      expect(unauthenticated.headers.get('cache-control')).toBe('no-store');
      expect(unauthenticated.headers.get('x-content-type-options')).toBe('nosniff');
      const docs = await fetch(`${ledger.baseUrl}/docs`);
      expect(docs.headers.get('x-content-type-options')).toBe('nosniff');
      expect(docs.headers.get('content-security-policy')).toContain("default-src 'self'");
    });

    it('CORS for the origins CORS_ORIGINS names, and those only', async () => {
      const withCors = await LedgerApp.start({ CORS_ORIGINS: 'https://banner.example, https://prefs.example' });
      try {
        const preflight = await fetch(`${withCors.baseUrl}/v1/subjects/u1/events`, {
          method: 'OPTIONS',
          headers: { origin: 'https://banner.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
        });
        expect(preflight.status).toBeLessThan(300);
        expect(preflight.headers.get('access-control-allow-origin')).toBe('https://banner.example');
        expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
        const other = await withCors.request('GET', '/v1/purposes', { headers: { origin: 'https://evil.example' } });
        expect(other.headers.get('access-control-allow-origin')).toBeNull();
      } finally {
        await withCors.close();
      }
    });
  });

  describe('unknown-key flood', () => {
    it('3,000 bogus keys from one address: 401 up to the limit, then 429 without a lookup', async () => {
      const statuses: number[] = [];
      for (let batch = 0; batch < 30; batch++) {
        const responses = await Promise.all(Array.from({ length: 100 }, (_, i) =>
          ledger.get('/v1/check?subjectId=u1&purpose=newsletter', `clk_bogus_${batch}_${i}`)));
        statuses.push(...responses.map((response) => response.status));
      }
      expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(50 + 100);
      expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(3000 - 150);
      expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
      const limited = await ledger.get('/v1/check?subjectId=u1&purpose=newsletter', 'clk_one_more');
      expectProblem(limited, 429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      // Valid keys from the same address are not locked out by the flood.
      expect((await ledger.get('/v1/check?subjectId=u1&purpose=newsletter')).status).toBe(200);
    });

    it('a valid key that authenticated before keeps working from a flooded address', async () => {
      const limited = await LedgerApp.start({ AUTH_FAILURES_PER_MINUTE: '5' });
      try {
        const reader = (await limited.post('/v1/api-keys', { name: 'reader', scopes: ['consents:read'] })).body.secret;
        expect((await limited.get('/v1/purposes', reader)).status).toBe(200);
        for (let i = 0; i < 6; i++) await limited.get('/v1/purposes', `clk_guess_${i}`);
        expectProblem(await limited.get('/v1/purposes', 'clk_guess_again'), 429);
        expect((await limited.get('/v1/purposes', reader)).status).toBe(200);
      } finally {
        await limited.close();
      }
    });

    it('behind a trusted proxy (TRUST_PROXY), each client address has its own limit', async () => {
      const proxied = await LedgerApp.start({ AUTH_FAILURES_PER_MINUTE: '5', TRUST_PROXY: '127.0.0.1' });
      try {
        const from = (address: string, key: string) => proxied.request('GET', '/v1/purposes', { key, headers: { 'x-forwarded-for': address } });
        for (let i = 0; i < 6; i++) await from('198.51.100.1', `clk_guess_${i}`);
        expectProblem(await from('198.51.100.1', 'clk_guess_again'), 429);
        expectProblem(await from('198.51.100.2', 'clk_guess_other'), 401);
      } finally {
        await proxied.close();
      }
    });
  });
});
