import { readFileSync } from 'node:fs';
import { Browser, Page } from 'playwright-core';
import { LedgerApp } from '../e2e/ledger-app';
import { recordAuditTrail } from './audit-trail';
import { buildConsole, launchChromium, moveSlider, openConsolePage, screenshot, seriousAccessibilityViolations, signIn } from './console-browser';
import { buildProofFixture } from './proof-fixture';

/** The auditor's console in Debian's Chromium against the real ledger on embedded Postgres. */
describe('auditor console', () => {
  let ledger: LedgerApp;
  let browser: Browser;
  let page: Page;
  let cspViolations: string[];
  const subjectId = `console-subject-${Date.now()}`;

  beforeAll(async () => {
    buildConsole();
    ledger = await LedgerApp.start();
    await recordAuditTrail(ledger, subjectId);
    browser = await launchChromium();
    ({ page, cspViolations } = await openConsolePage(browser));
  });

  afterAll(async () => {
    await browser?.close();
    await ledger?.close();
  });

  afterEach(() => {
    // Every page ran under the strict CSP without needing an exception.
    expect(cspViolations).toEqual([]);
  });

  it('refuses an unknown key, then signs in with a valid one kept in sessionStorage only', async () => {
    await page.goto(`${ledger.baseUrl}/console/`);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'sign-in');
    await page.getByLabel('API key').fill('not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'This key was not accepted (401)' }).waitFor();

    await signIn(page, ledger.baseUrl, ledger.adminKey);
    const storage = await page.evaluate(() => ({ session: JSON.stringify(sessionStorage), local: JSON.stringify(localStorage) }));
    expect(storage.session).toContain(ledger.adminKey);
    expect(storage.local).not.toContain(ledger.adminKey);
  });

  it('finds a subject and shows its timeline: types, purposes and versions, source, proof fields, chain links', async () => {
    await page.getByLabel('Subject id', { exact: true }).fill(subjectId);
    await page.getByRole('button', { name: 'Find' }).click();
    const rows = page.locator('table.timeline tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(2);
    const [granted, withdrawn] = [rows.nth(0), rows.nth(1)];
    expect(await granted.getAttribute('data-event-type')).toBe('ConsentGranted');
    expect(await granted.innerText()).toMatch(/newsletter v1[\s\S]*signup-form[\s\S]*203\.0\.113\.7[\s\S]*first event \(genesis\)/);
    expect(await withdrawn.innerText()).toMatch(/ConsentWithdrawn[\s\S]*newsletter v2[\s\S]*preference-centre[\s\S]*links to the previous event/);
    // The text the person was shown, version by version.
    await granted.getByText('Text shown (version 1)').click();
    expect(await granted.innerText()).toContain('Receive our news by email, once a month.');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('moves the date-time slider: granted before the withdrawal, withdrawn after it', async () => {
    const status = page.locator('tr[data-purpose="newsletter"] [data-status]');
    await moveSlider(page, '2026-02-01T00:00:00.000Z');
    await page.locator('tr[data-purpose="newsletter"] [data-status="granted"]').waitFor();
    expect(await status.innerText()).toBe('granted');
    expect(page.url()).toContain('at=2026-02-01T00%3A00%3A00.000Z');

    await moveSlider(page, '2026-03-02T00:00:00.000Z');
    await page.locator('tr[data-purpose="newsletter"] [data-status="withdrawn"]').waitFor();
    expect(await status.innerText()).toBe('withdrawn');

    await moveSlider(page, '2026-01-09T12:00:00.000Z');
    await page.locator('tr[data-purpose="newsletter"] [data-status="none"]').waitFor();
    await moveSlider(page, '2026-02-01T00:00:00.000Z');
    await page.locator('tr[data-purpose="newsletter"] [data-status="granted"]').waitFor();
    await screenshot(page, 'subject');

    // By keyboard: End moves the slider to now, where the withdrawal holds.
    await page.getByLabel(/Instant/).press('End');
    await page.locator('tr[data-purpose="newsletter"] [data-status="withdrawn"]').waitFor();
    expect(page.url()).not.toContain('at=');
  });

  it('says so when a subject has no event', async () => {
    await page.getByLabel('Subject id', { exact: true }).fill('nobody-here');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByText('No event recorded for this subject.').waitFor();
  });

  it('verifies in the browser a proof built with node:crypto, and fails it once the JSON is tampered with', async () => {
    // Served through page.route: the check here is the browser's own WebCrypto verification.
    const fixture = buildProofFixture({ subjectId });
    await page.route('**/v1/subjects/*/proof?*', (route) => route.fulfill({ json: fixture.proof }));
    await page.route('**/v1/ledger/verifier-key', (route) => route.fulfill({ body: `${fixture.verifierKey}\n`, contentType: 'text/plain' }));
    try {
      await page.goto(`${ledger.baseUrl}/console/#/proof/${subjectId}?purpose=newsletter`);
      const verdict = page.locator('[data-verdict]');
      await page.locator('[data-verdict="verified"]').waitFor();
      expect(await verdict.innerText()).toContain('verified');
      // 3 document/key/checkpoint checks, 4 per event (purpose published, granted, withdrawn), the purpose text.
      expect(await page.locator('ul.checks li.ok').count()).toBe(16);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'proof-verified');

      const json = page.getByLabel(/Proof JSON/);
      const text = await json.inputValue();
      await json.fill(text.replace('"purposeVersion": 1,\n        "occurredAt": "2026-01-10', '"purposeVersion": 2,\n        "occurredAt": "2026-01-10'));
      await page.getByRole('button', { name: 'Verify the JSON below again' }).click();
      await page.locator('[data-verdict="failed"]').waitFor();
      expect(await verdict.innerText()).toContain('failed');
      expect(await page.locator('ul.checks li.failed').innerText()).toMatch(/Event hash recomputed/);

      const download = page.waitForEvent('download');
      const granted = fixture.proof.events[1].eventId;
      await page.getByRole('button', { name: `Download ${granted}.tlog-proof` }).click();
      expect((await download).suggestedFilename()).toBe(`${granted}.tlog-proof`);
      expect(readFileSync(await (await download).path(), 'utf8')).toBe(fixture.proof.inclusion[1].tlogProof);
    } finally {
      await page.unrouteAll();
    }
  });

  it('lists purposes with versions, legal basis and validity, diffs two versions, in English and French', async () => {
    await page.goto(`${ledger.baseUrl}/console/#/purposes`);
    const newsletter = page.locator('section[data-purpose="newsletter"]');
    await newsletter.waitFor();
    expect(await newsletter.locator('tbody tr').count()).toBe(2);
    expect(await newsletter.innerText()).toMatch(/consent[\s\S]*395 days/);
    expect(await newsletter.locator('ins').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('partner offers')]));
    expect(await page.locator('section[data-purpose="offers-similar-services"]').innerText()).toMatch(/legitimate_interest[\s\S]*no expiry/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'purposes');

    await page.getByLabel('Language').selectOption('fr');
    await page.getByRole('heading', { name: 'Finalités', level: 1 }).waitFor();
    expect(await newsletter.getByRole('heading', { level: 2 }).innerText()).toContain('Lettre d’information');
    expect(await newsletter.locator('ins').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('offres partenaires')]));
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
    await page.getByLabel('Langue').selectOption('en');
  });

  it('shows the ledger: checkpoint (or unavailable), verify, health, and events per day by type', async () => {
    await page.goto(`${ledger.baseUrl}/console/#/ledger`);
    await page.getByRole('status').filter({ hasText: 'valid' }).first().waitFor();
    const verifyCard = page.locator('section', { has: page.getByRole('heading', { name: 'Integrity (verify)' }) });
    expect(await verifyCard.innerText()).toMatch(/✔ valid[\s\S]*\d+ events, \d+ streams/);
    const checkpointCard = page.locator('section', { has: page.getByRole('heading', { name: 'Latest checkpoint' }) });
    await checkpointCard.locator('[data-testid="tree-size"], .unavailable').first().waitFor();
    expect(await page.locator('dd[data-component="postgres"]').innerText()).toBe('up');
    // Both events were recorded today: the plot has one series per type, and its table says so.
    await page.locator('.chart canvas').waitFor();
    const today = new Date().toISOString().slice(0, 10);
    const row = page.locator('table.visually-hidden tbody tr', { has: page.locator(`th:text-is("${today}")`) });
    expect(await row.locator('td').allInnerTexts()).toEqual(['1', '1']);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'ledger');
  });

  it('returns to sign-in when the ledger stops accepting the key', async () => {
    await page.evaluate(() => sessionStorage.setItem('consent-ledger.console.apiKey', 'revoked-key'));
    await page.goto(`${ledger.baseUrl}/console/#/subject/${subjectId}`);
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });
});
