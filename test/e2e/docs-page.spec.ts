import { Browser, chromium } from 'playwright-core';
import { LedgerApp } from './ledger-app';

/** /docs under helmet's Content-Security-Policy, in a real browser: the UI must render, nothing blocked. */
describe('the API docs page', () => {
  let ledger: LedgerApp;
  let browser: Browser;

  beforeAll(async () => {
    ledger = await LedgerApp.start();
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await ledger.close();
  });

  it('renders every route with no resource refused by the CSP', async () => {
    const page = await browser.newPage();
    const refused: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') refused.push(message.text());
    });
    page.on('pageerror', (error) => refused.push(error.message));
    const response = await page.goto(`${ledger.baseUrl}/docs`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.locator('.swagger-ui .info .title').filter({ hasText: 'consent-ledger' }).waitFor();
    await page.locator('.opblock-summary-path', { hasText: '/v1/subjects/{subjectId}/events' }).first().waitFor();
    expect(refused).toEqual([]);
  });
});
