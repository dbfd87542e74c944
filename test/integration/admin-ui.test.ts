/** The admin UI in a real browser (Debian's chromium): sign in, approve a review case, see the user verified. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_TOKEN, WEBHOOK_SECRET, startTestService, type TestService } from '../helpers/service.js';
import { postSigned, sessionEvent, uniqueId } from '../helpers/stripe-events.js';
import { waitFor } from '../helpers/wait.js';
import { hasChromium, launchChromium } from '../helpers/browser.js';

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(() => service.stop());

it.skipIf(!hasChromium)(
  'an operator signs in, approves an open review case with a note, and the user is verified',
  async () => {
    const ref = uniqueId('user');
    const event = sessionEvent({
      type: 'identity.verification_session.requires_input',
      subject: ref,
      code: 'selfie_manipulated',
    });
    expect((await postSigned(service.url, event, WEBHOOK_SECRET)).status).toBe(200);
    await waitFor(async () => ((await service.store.getSubject(ref))?.openReview ? true : undefined));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${service.url}/admin`);
      await page.fill('#token', 'wrong-token');
      await page.click('#login-form button');
      await page.waitForSelector('#login-error:has-text("sign in")');
      await page.fill('#token', ADMIN_TOKEN);
      await page.click('#login-form button');
      const row = page.locator('#reviews tbody tr', { hasText: ref });
      await row.waitFor();
      await row.locator('input').fill('Selfie checked by hand against the document.');
      await row.locator('button[value=approve]').click();
      await page.waitForSelector(`#reviews tbody tr:has-text("${ref}")`, { state: 'detached' });
    } finally {
      await browser.close();
    }
    const detail = await service.store.getSubject(ref);
    expect(detail?.subject.view.state).toBe('verified');
    expect(detail?.history.at(-1)).toMatchObject({ to: 'verified', actor: 'admin' });
  },
);
