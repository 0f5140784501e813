import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSOLE_CSP, CONSOLE_DIR, mountConsole } from '../../apps/consent-ledger/src/console/console-static';
import { LedgerApp } from '../e2e/ledger-app';
import { buildConsole } from './console-browser';

describe('the console as the ledger serves it', () => {
  let ledger: LedgerApp;
  beforeAll(async () => {
    buildConsole();
    ledger = await LedgerApp.start();
  });
  afterAll(() => ledger?.close());

  const get = (path: string) => fetch(`${ledger.baseUrl}${path}`, { redirect: 'manual' });

  it('serves index.html without a key, revalidated on every load, under the strict CSP', async () => {
    const response = await get('/console/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toMatch(/script-src 'self';/);
    expect(CONSOLE_CSP).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await response.text();
    // Nothing inline: the one script and the one stylesheet are hashed files.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|<style|style=/);
    expect(html).toMatch(/<script type="module" crossorigin src="\/console\/assets\/index-[\w-]+\.js">/);
  });

  it('redirects /console to /console/', async () => {
    const response = await get('/console');
    expect([301, 302]).toContain(response.status);
    expect(response.headers.get('location')).toBe('/console/');
  });

  it('lets browsers keep the hashed assets for a year', async () => {
    const assets = readdirSync(join(CONSOLE_DIR, 'assets'));
    expect(assets.some((name) => name.endsWith('.js')) && assets.some((name) => name.endsWith('.css'))).toBe(true);
    for (const name of assets) {
      const response = await get(`/console/assets/${name}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
  });

  it('serves no build stamp and no file outside the build, and leaves the API behind its keys', async () => {
    expect((await get('/console/.inputs-sha256')).status).toBe(404);
    expect((await get('/console/../package.json')).status).toBe(404);
    expect((await get('/console/%2e%2e/package.json')).status).toBe(404);
    expect((await get('/v1/ledger/verify')).status).toBe(401);
  });
});

describe('a ledger whose console is not built', () => {
  it('answers /console with a problem saying how to build it', async () => {
    @Module({})
    class EmptyModule {}
    const app = await NestFactory.create<NestFastifyApplication>(EmptyModule, new FastifyAdapter(), { logger: false });
    try {
      await mountConsole(app, mkdtempSync(join(tmpdir(), 'no-console-')));
      await app.init();
      const response = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/console/' });
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ type: 'urn:consent-ledger:problem:console_not_built', detail: expect.stringContaining('npm run build:console') });
    } finally {
      await app.close();
    }
  });
});
