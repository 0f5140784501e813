import { readFileSync } from 'node:fs';
import { Browser, Page } from 'playwright-core';
import { LedgerApp } from '../e2e/ledger-app';
import { recordAuditTrail } from './audit-trail';
import { buildConsole, launchChromium, openConsolePage, screenshot, seriousAccessibilityViolations, signIn } from './console-browser';

/**
 * The console over the proof (issue 7) and rights (issue 8) endpoints of the real ledger: a proof
 * fetched, verified and tampered with in Chromium, an export downloaded, a subject erased.
 */
describe('auditor console: proofs, export and erasure against the ledger', () => {
  let ledger: LedgerApp;
  let browser: Browser;
  let page: Page;
  let cspViolations: string[];
  const subjectId = `console-erasure-${Date.now()}`;

  /** Proofs list an event without inclusion until the sealer's next checkpoint (CHECKPOINT_INTERVAL_MS). */
  async function waitUntilSealed(): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const { status, body } = await ledger.get(`/v1/subjects/${subjectId}/proof?purpose=newsletter`);
      if (status !== 200) throw new Error(`proof: ${status} ${JSON.stringify(body)}`);
      if (body.inclusion.length === body.events.length) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('events not sealed after 10 s');
  }

  beforeAll(async () => {
    buildConsole();
    ledger = await LedgerApp.start({ CHECKPOINT_INTERVAL_MS: '100' });
    await recordAuditTrail(ledger, subjectId);
    browser = await launchChromium();
    ({ page, cspViolations } = await openConsolePage(browser));
    await signIn(page, ledger.baseUrl, ledger.adminKey);
  });

  afterAll(async () => {
    await browser?.close();
    await ledger?.close();
  });

  afterEach(() => expect(cspViolations).toEqual([]));

  const verdict = () => page.locator('[data-verdict]');

  it('verifies the ledger\'s proof in the browser, then reads "failed" once the JSON is tampered with', async () => {
    await waitUntilSealed();
    await page.goto(`${ledger.baseUrl}/console/#/proof/${subjectId}?purpose=newsletter&at=2026-02-01T00:00:00.000Z`);
    await page.locator('[data-verdict="verified"], [data-verdict="failed"]').waitFor();
    expect(await page.locator('ul.checks li.failed').allInnerTexts()).toEqual([]);
    expect(await verdict().innerText()).toContain('verified');
    expect(await page.locator('section', { has: page.locator('[data-verdict]') }).innerText()).toMatch(/Decision: granted/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'proof');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download proof JSON' }).click();
    const saved = JSON.parse(readFileSync(await (await download).path(), 'utf8'));
    expect(saved).toMatchObject({ subjectId, purpose: 'newsletter' });

    const json = page.getByLabel(/Proof JSON/);
    await json.fill((await json.inputValue()).replace('2026-01-10T09:00:00.000Z', '2026-01-09T09:00:00.000Z'));
    await page.getByRole('button', { name: 'Verify the JSON below again' }).click();
    await page.locator('[data-verdict="failed"]').waitFor();
    expect(await verdict().innerText()).toContain('failed');
  });

  it('exports the subject\'s record as JSON', async () => {
    await page.goto(`${ledger.baseUrl}/console/#/subject/${subjectId}`);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export (JSON)' }).click();
    const exported = readFileSync(await (await download).path(), 'utf8');
    expect(exported).toContain(subjectId);
    expect(exported).toContain('203.0.113.7');
  });

  it('erases the subject behind a confirmation naming it; the timeline then reads [erased]', async () => {
    await page.goto(`${ledger.baseUrl}/console/#/subject/${subjectId}`);
    await page.getByRole('button', { name: 'Erase this subject…' }).click();
    const dialog = page.getByRole('dialog', { name: `Erase subject ${subjectId}?` });
    await dialog.waitFor();
    const confirm = dialog.getByRole('button', { name: `Erase ${subjectId}` });
    expect(await confirm.isDisabled()).toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await dialog.getByLabel('Type the subject id to confirm').fill(subjectId);
    await confirm.click();

    await page.getByText('Subject erased.').waitFor();
    await page.locator('table.timeline tr[data-event-type="SubjectErased"]').waitFor();
    const granted = page.locator('table.timeline tr[data-event-type="ConsentGranted"] .proof-fields');
    expect(await granted.innerText()).toMatch(/ip\s+\[erased\]/);
    expect(await granted.innerText()).not.toContain('203.0.113.7');
    expect(await page.getByRole('button', { name: 'Erase this subject…' }).count()).toBe(0);
    await screenshot(page, 'subject-erased');
  });

  it('still verifies the proof of the erased subject', async () => {
    await waitUntilSealed();
    await page.goto(`${ledger.baseUrl}/console/#/proof/${subjectId}?purpose=newsletter&at=2026-02-01T00:00:00.000Z`);
    await page.locator('[data-verdict="verified"], [data-verdict="failed"]').waitFor();
    expect(await page.locator('ul.checks li.failed').allInnerTexts()).toEqual([]);
    expect(await verdict().innerText()).toContain('verified');
  });
});
