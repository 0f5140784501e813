import { withPgClient } from '@consent-ledger/runtime';
import { setTimeout as sleep } from 'node:timers/promises';
import { KEY_CACHE_TTL_MS } from '../../apps/consent-ledger/src/auth/api-key.service';
import { LedgerApp } from './ledger-app';

describe('API keys have a lifecycle', () => {
  let first: LedgerApp;
  let second: LedgerApp;

  beforeAll(async () => {
    first = await LedgerApp.start();
    // A second instance over the same database, as behind a load balancer.
    second = await LedgerApp.start({ DATABASE_URL: first.databaseUrl, CONSENT_ADMIN_KEY: first.adminKey });
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  const create = (app: LedgerApp, body: unknown, key?: string) => app.request('POST', '/v1/api-keys', { body, key });

  it('lists keys with who created them, never their secrets', async () => {
    const created = await create(first, { name: 'list-me', scopes: ['consents:read'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'list-me', createdBy: 'bootstrap-admin', expiresAt: null, revokedAt: null, secret: expect.stringMatching(/^clk_/) });
    const listed = await second.get('/v1/api-keys');
    expect(listed.status).toBe(200);
    const entry = listed.body.apiKeys.find((key: { id: string }) => key.id === created.body.id);
    expect(entry).toEqual({ id: created.body.id, name: 'list-me', scopes: ['consents:read'], createdAt: expect.any(String), createdBy: 'bootstrap-admin', expiresAt: null, revokedAt: null, service: null });
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);
    expect(JSON.stringify(listed.body)).not.toMatch(/secret/i);
  });

  it('a key mints only keys within its own scopes, and is named as their creator', async () => {
    const operator = (await create(first, { name: 'operator', scopes: ['keys:admin', 'events:write'] })).body;
    const escalation = await create(first, { name: 'reader', scopes: ['consents:read'] }, operator.secret);
    expect(escalation.status).toBe(403);
    expect(escalation.body.type).toContain('scope_escalation');
    const widening = await create(first, { name: 'admin', scopes: ['keys:admin', 'audit:read'] }, operator.secret);
    expect(widening.status).toBe(403);
    const banner = await create(first, { name: 'banner', scopes: ['events:write'] }, operator.secret);
    expect(banner.status).toBe(201);
    expect(banner.body.createdBy).toBe(operator.id);
  });

  it('a revoked key is refused on another instance within a second', async () => {
    const key = (await create(first, { name: 'to-revoke', scopes: ['consents:read'] })).body;
    // The second instance has the key cached as valid.
    expect((await second.get('/v1/purposes', key.secret)).status).toBe(200);
    const revoked = await first.request('DELETE', `/v1/api-keys/${key.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: key.id, revokedAt: expect.any(String) });
    expect((await first.get('/v1/purposes', key.secret)).status).toBe(401);
    // The cache's lifetime is the bound on staleness: from then on every instance refuses the key.
    await sleep(KEY_CACHE_TTL_MS + 10);
    const refused = await second.get('/v1/purposes', key.secret);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    // Revoking again keeps the first revocation time.
    expect((await second.request('DELETE', `/v1/api-keys/${key.id}`)).body.revokedAt).toBe(revoked.body.revokedAt);
  });

  it('an expired key is refused; an expiry in the past cannot be set', async () => {
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const key = (await create(first, { name: 'expiring', scopes: ['consents:read'], expiresAt })).body;
    expect(key.expiresAt).toBe(expiresAt);
    expect((await first.get('/v1/purposes', key.secret)).status).toBe(200);
    await withPgClient(first.databaseUrl, (client) => client.query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [key.id]));
    expect((await second.get('/v1/purposes', key.secret)).status).toBe(401);
    const past = await create(first, { name: 'past', scopes: ['consents:read'], expiresAt: '2020-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.body.errors[0].field).toBe('expiresAt');
  });

  it('404 for an unknown key id, 400 for a malformed one, 403 without keys:admin', async () => {
    expect((await first.request('DELETE', '/v1/api-keys/7d444840-9dc0-41ba-a5a6-b2c0a8e3e6a1')).status).toBe(404);
    expect((await first.request('DELETE', '/v1/api-keys/not-a-uuid')).status).toBe(400);
    const reader = (await create(first, { name: 'reader-2', scopes: ['consents:read'] })).body;
    expect((await first.get('/v1/api-keys', reader.secret)).status).toBe(403);
    expect((await first.request('DELETE', `/v1/api-keys/${reader.id}`, { key: reader.secret })).status).toBe(403);
  });
});
