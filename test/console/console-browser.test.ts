/**
 * The console in a real browser (Debian's chromium through playwright-core): people sign in with an
 * operator token, the pages load under a strict CSP without a console error, and what they may do follows
 * their role. Screenshots go to /tmp/console-*.png.
 */
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenHash } from '../../src/http/operators.js';
import type { OperatorRole } from '../../src/store/store.js';
import { consoleErrors, launchChromium, skipBrowser } from '../helpers/browser.js';
import { startTestService, type TestService } from '../helpers/service.js';

const skip = skipBrowser();

describe.skipIf(skip)('the console in chromium', () => {
  let service: TestService;
  let browser: Browser;
  const tokens: Partial<Record<OperatorRole, string>> = {};

  beforeAll(async () => {
    service = await startTestService();
    for (const role of ['viewer', 'reviewer', 'admin'] as const) {
      const token = `idvop_${randomBytes(32).toString('hex')}`;
      await service.store.addOperator({
        id: `op_${role}`,
        name: `${role[0]!.toUpperCase()}${role.slice(1)} Person`,
        role,
        tokenHash: tokenHash(token),
        createdAt: Date.now(),
      });
      tokens[role] = token;
    }
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  async function signIn(role: OperatorRole): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    const errors = consoleErrors(page);
    await page.goto(`${service.url}/admin`);
    await page.getByLabel('Operator token').fill(tokens[role]!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(`${role[0]!.toUpperCase()}${role.slice(1)} Person · ${role}`).waitFor();
    return { page, errors };
  }

  it('serves the console with a strict CSP; a wrong token does not sign in; a right one does', async () => {
    const answer = await fetch(`${service.url}/admin`);
    const csp = answer.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');

    const page = await browser.newPage();
    const errors = consoleErrors(page);
    await page.goto(`${service.url}/admin`);
    await page.getByLabel('Operator token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That token does not sign anyone in.').waitFor();
    await page.screenshot({ path: '/tmp/console-sign-in.png' });
    await page.close();
    // The failed sign-in's 401 is the one error a browser reports.
    expect(errors.filter((e) => !e.includes('401'))).toEqual([]);

    const signedIn = await signIn('reviewer');
    await signedIn.page.getByRole('heading', { name: 'Overview' }).waitFor();
    const cookies = await signedIn.page.context().cookies();
    expect(cookies.find((c) => c.name === 'idv_console')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
    });
    await signedIn.page.screenshot({ path: '/tmp/console-overview.png' });
    expect(signedIn.errors).toEqual([]);
    await signedIn.page.getByRole('button', { name: 'Sign out' }).click();
    await signedIn.page.getByLabel('Operator token').waitFor();
    await signedIn.page.context().close();
  });
});
