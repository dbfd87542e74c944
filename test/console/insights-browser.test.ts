/**
 * The Overview's insights in a real browser (Debian's chromium through playwright-core), on the known
 * history of test/contract/stats-history.ts: the range picker's figures render (funnel, the stacked
 * outcome chart and its numbers in Paris days, failure-code bars, time to verify), the page says what
 * retention has kept, and a failure-code bar opens the subjects list with exactly that many subjects.
 * Screenshots: /tmp/insights-*.png (docs/insights-overview.png, shown in the README, is copied from there by
 * hand: a test run must not change the checkout).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenHash } from '../../src/http/operators.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { loadKnownHistory } from '../contract/stats-history.js';
import { consoleErrors, launchChromium, skipBrowser } from '../helpers/browser.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { tempDir } from '../helpers/temp.js';

const skip = skipBrowser();
const RANGE = 'from=2026-10-24&through=2026-10-26&interval=day&tz=Europe%2FParis';

describe.skipIf(skip)('the insights of the Overview in chromium', () => {
  const temp = tempDir('idv-insights-browser-');
  let service: TestService;
  let browser: Browser;
  const token = `idvop_${randomBytes(32).toString('hex')}`;

  beforeAll(async () => {
    const dbPath = join(temp.dir, 'idv.db');
    const store = new SqliteStore({ filename: dbPath });
    await store.migrate();
    await loadKnownHistory(store);
    await store.addOperator({
      id: 'op_viewer',
      name: 'Vera Viewer',
      role: 'viewer',
      tokenHash: tokenHash(token),
      createdAt: Date.now(),
    });
    await store.close();
    service = await startTestService({}, { dbPath });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    temp.cleanup();
  });

  it('renders the known figures and follows a failure-code bar to its subjects', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    const errors = consoleErrors(page);
    await page.goto(`${service.url}/admin`);
    await page.getByLabel('Operator token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Vera Viewer · viewer').waitFor();
    await page.goto(`${service.url}/admin#/?${RANGE}`);
    await page.getByRole('heading', { name: 'How verifications are going' }).waitFor();

    const funnel = page.locator('.bars[aria-label="Funnel"]');
    await expect(funnel.locator('.bar').allInnerTexts()).resolves.toEqual([
      expect.stringMatching(/started\s+9/),
      expect.stringMatching(/submitted\s+7 · 77\.8%/),
      expect.stringMatching(/verified\s+5 · 55\.6% \(71\.4% of submitted\)/),
    ]);
    expect(await page.locator('#retention-note').innerText()).toContain(
      'Figures cover what retention has kept',
    );
    // uPlot drew the stacked chart; its numbers are in the table under it, Paris days.
    expect(await page.locator('.outcome-chart canvas').count()).toBe(1);
    const rows = await page
      .locator('.insight[aria-label="Outcomes over time"] .table-wrap tbody tr')
      .allInnerTexts();
    expect(rows.map((r) => r.split(/\s+/).join(' '))).toEqual([
      '2026-10-24 2 0 0 0 0 0',
      '2026-10-25 2 0 0 0 0 0',
      '2026-10-26 1 0 1 1 1 1',
    ]);
    const codes = page.locator('.bars[aria-label="Failure codes"] .bar');
    expect(await codes.count()).toBe(5);
    expect(await codes.first().innerText()).toMatch(
      /document_expired\s+2 subjects · 3 submissions · 50% later verified/,
    );
    expect(await page.locator('.bars[aria-label="Time to verify"]').innerText()).toMatch(
      /p50\s+2 h 0 min[\s\S]*p90\s+10 h 30 min/,
    );
    await page.screenshot({ path: '/tmp/insights-overview.png', fullPage: true });

    await codes.first().click();
    await page.getByRole('heading', { name: 'Subjects' }).waitFor();
    expect(await page.locator('#subject-count').innerText()).toBe('2 subjects');
    const refs = await page.locator('tbody tr td:first-child').allInnerTexts();
    expect(refs.sort()).toEqual(['stats_b', 'stats_d']);
    expect(page.url()).toContain('ever_code=document_expired');
    await page.screenshot({ path: '/tmp/insights-subjects.png', fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});
