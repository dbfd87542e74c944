import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAILURE_CODES } from '../src/index.js';
import { type TestEmulator, startTestEmulator } from './helpers.js';

let t: TestEmulator;
beforeEach(async () => {
  t = await startTestEmulator();
});
afterEach(() => t.emulator.close());

function submit(url: string, outcome: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ outcome }).toString(),
  });
}

describe('hosted verification page (reference §2.1 test mode)', () => {
  it('shows a form with Verified and every failure code, without an API key', async () => {
    const vs = await t.stripe.identity.verificationSessions.create({ type: 'document' });
    const page = await fetch(vs.url!);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain(`<form method="post" action="/verify/${vs.id}">`);
    expect(html).toContain('<select id="outcome" name="outcome">');
    expect(html).toContain('<option value="verified" selected>Verified</option>');
    for (const code of FAILURE_CODES) expect(html).toContain(`<option value="${code}">`);
    expect(FAILURE_CODES).toContain('address_mismatch');
  });

  it('submitting Verified verifies the session and redirects to return_url', async () => {
    const vs = await t.stripe.identity.verificationSessions.create({
      type: 'document',
      return_url: 'https://example.com/done?x=1',
    });
    const res = await submit(vs.url!, 'verified');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('https://example.com/done?x=1');
    const after = await t.stripe.identity.verificationSessions.retrieve(vs.id);
    expect(after.status).toBe('verified');
    expect(after.last_verification_report).toMatch(/^vr_/);

    const closed = await fetch(`${t.emulator.url}/verify/${vs.id}`);
    expect(await closed.text()).toContain('verified and cannot be submitted');
  });

  it('submitting a failure code puts the session in requires_input with that code, then shows "submitted"', async () => {
    const vs = await t.stripe.identity.verificationSessions.create({ type: 'document' });
    const res = await submit(vs.url!, 'selfie_face_mismatch');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Submitted');
    const after = await t.stripe.identity.verificationSessions.retrieve(vs.id);
    expect(after).toMatchObject({ status: 'requires_input', last_error: { code: 'selfie_face_mismatch' } });
    const types = (await t.stripe.events.list()).data.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual([
      'identity.verification_session.requires_input',
      'identity.verification_session.processing',
    ]);
  });

  it('refuses an unknown outcome, a closed session and an unknown session', async () => {
    const vs = await t.stripe.identity.verificationSessions.create({ type: 'document' });
    expect((await submit(vs.url!, 'bogus')).status).toBe(400);
    await t.stripe.identity.verificationSessions.cancel(vs.id);
    expect((await submit(`${t.emulator.url}/verify/${vs.id}`, 'verified')).status).toBe(409);
    expect((await fetch(`${t.emulator.url}/verify/vs_nope`)).status).toBe(404);
  });

  const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
  it.skipIf(!chromium)('works in a real browser: pick a failure, submit, land on return_url', async () => {
    const { chromium: launcher } = await import('playwright-core');
    const returnPage = `${t.emulator.url}/verify/vs_return_target`;
    const vs = await t.stripe.identity.verificationSessions.create({
      type: 'document',
      return_url: returnPage,
    });
    const browser = await launcher.launch({ executablePath: chromium!, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      await page.goto(vs.url!);
      await page.selectOption('#outcome', 'document_expired');
      await Promise.all([page.waitForURL(returnPage), page.click('button[type=submit]')]);
    } finally {
      await browser.close();
    }
    const after = await t.stripe.identity.verificationSessions.retrieve(vs.id);
    expect(after).toMatchObject({ status: 'requires_input', last_error: { code: 'document_expired' } });
  });
});
