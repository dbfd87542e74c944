/**
 * `idv demo` as a user runs it: a child process, then one verification through the demo page's API and
 * the emulator's hosted page (plain HTTP form), then — when Debian's chromium is installed — the same
 * journey clicked through in a real browser.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDV_BIN } from '../helpers/child.js';
import { tempDir } from '../helpers/temp.js';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../helpers/wait.js';
import { hasChromium, launchChromium } from '../helpers/browser.js';

const temp = tempDir();
let proc: ChildProcess;
let output = '';
let demoUrl: string;

beforeAll(async () => {
  proc = spawn(
    process.execPath,
    [IDV_BIN, 'demo', '--data', temp.dir, '--port', '0', '--service-port', '0', '--emulator-port', '0'],
    {
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  proc.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  demoUrl = await waitFor(
    () => /Demo page:\s+(http:\/\/\S+)/.exec(output)?.[1],
    20_000,
    `the demo to start:\n${output}`,
  );
});
afterAll(async () => {
  if (proc.exitCode === null) {
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGINT');
    await exited;
  }
  temp.cleanup();
});

async function subjectState(ref: string): Promise<string> {
  const res = await fetch(`${demoUrl}/demo/api/subjects/${ref}`);
  return ((await res.json()) as { state: string }).state;
}

describe('idv demo', () => {
  it('prints every URL a person needs', () => {
    expect(output).toMatch(/idv service:\s+http:\/\/127\.0\.0\.1:\d+/);
    expect(output).toMatch(/Admin UI:\s+http:\/\/127\.0\.0\.1:\d+\/admin\s+\(token: [0-9a-f]{32}\)/);
    expect(output).toMatch(/Stripe emulator:\s+http:\/\/127\.0\.0\.1:\d+/);
  });

  it('encrypts personal data with a key it keeps under its data folder, readable by the owner only', () => {
    const keyFile = join(temp.dir, 'encryption.key');
    expect(readFileSync(keyFile, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(keyFile).mode & 0o077).toBe(0);
  });

  it('completes a verification through the hosted page form: the user is verified and emailed', async () => {
    const ref = 'demo_form_user';
    const email = 'form.user@demo.test';
    const created = await fetch(`${demoUrl}/demo/api/subjects/${ref}/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, return_url: `${demoUrl}/?ref=${ref}` }),
    });
    expect(created.status).toBe(201);
    const session = (await created.json()) as { session_id: string; url: string };
    expect(session.session_id).toMatch(/^vs_/);

    const page = await fetch(session.url);
    expect(await page.text()).toContain('name="outcome"');
    const submitted = await fetch(session.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'outcome=verified',
      redirect: 'manual',
    });
    expect(submitted.status).toBe(303);
    expect(submitted.headers.get('location')).toBe(`${demoUrl}/?ref=${ref}`);

    await waitFor(
      async () => ((await subjectState(ref)) === 'verified' ? true : undefined),
      15_000,
      'verified',
    );
    const emails = await waitFor(
      async () => {
        const list = (await (
          await fetch(`${demoUrl}/demo/api/emails?to=${encodeURIComponent(email)}`)
        ).json()) as { subject: string }[];
        return list.length > 0 ? list : undefined;
      },
      15_000,
      'the email at the sink',
    );
    expect(emails).toHaveLength(1);
    expect(emails[0]!.subject).toMatch(/verified/i);
  });

  it.skipIf(!hasChromium)(
    'in a real browser: start, pick a failure on the hosted page, see retry_required and the email with the reason',
    async () => {
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        await page.goto(`${demoUrl}/?ref=demo_browser_user`);
        await page.fill('#email', 'browser.user@demo.test');
        await page.click('#start-button');
        await page.waitForSelector('#verify-link[href^="http"]');
        await page.click('#verify-link');
        await page.selectOption('#outcome', 'document_expired');
        await page.click('button[type=submit]');
        await page.waitForURL(`${demoUrl}/?ref=demo_browser_user`);
        await page.waitForFunction(
          "document.querySelector('#state')?.textContent === 'retry_required'",
          undefined,
          { timeout: 15_000 },
        );
        await page.waitForSelector('.email-subject', { timeout: 15_000 });
        const mail = await page.textContent('#emails');
        expect(mail).toContain('The document is expired.');
        expect(await page.textContent('#attempts')).toContain('attempts used 1 of 3');
      } finally {
        await browser.close();
      }
    },
  );
});
