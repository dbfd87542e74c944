/**
 * The console in a real browser (Debian's chromium through playwright-core): people sign in with an
 * operator token, the pages load under a strict CSP without a console error, and what they may do follows
 * their role. Screenshots go to /tmp/console-*.png.
 */
import { startEmulator, type Emulator } from '@idv-outcomes/emulator';
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenHash } from '../../src/http/operators.js';
import type { OperatorRole } from '../../src/store/store.js';
import { consoleErrors, launchChromium, skipBrowser } from '../helpers/browser.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { uniqueId } from '../helpers/stripe-events.js';
import { failSubmission } from '../helpers/failed-submission.js';
import { waitFor } from '../helpers/wait.js';

const KEY = 'rk_test_idv_console_browser';

const skip = skipBrowser();

describe.skipIf(skip)('the console in chromium', () => {
  let service: TestService;
  let browser: Browser;
  let emulator: Emulator;
  let stripe: Stripe;
  const tokens: Partial<Record<OperatorRole, string>> = {};

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, host: '127.0.0.1' });
    stripe = new Stripe(KEY, { host: '127.0.0.1', port: emulator.port, protocol: 'http', telemetry: false });
    service = await startTestService({ STRIPE_SECRET_KEY: KEY, STRIPE_API_BASE: emulator.url });
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
    await emulator?.close();
  });

  /** A selfie_manipulated submission at the emulator, told to idv; resolves with the open case. */
  async function openCase(): Promise<{ ref: string; id: string }> {
    const ref = uniqueId('user');
    const session = await stripe.identity.verificationSessions.create({
      type: 'document',
      options: { document: { require_matching_selfie: true } },
      client_reference_id: ref,
      metadata: { user_id: ref },
    });
    await failSubmission(stripe, service.url, { ref, sessionId: session.id, code: 'selfie_manipulated' });
    const review = await waitFor(async () => (await service.store.getSubject(ref))?.openReview ?? undefined);
    return { ref, id: review.id };
  }

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

  /** Fills a note, shows that Enter decides nothing, then decides through the button and its confirmation. */
  async function decideInBrowser(page: Page, id: string, label: string, note: string): Promise<void> {
    const field = page.getByLabel('Note (required)');
    await field.fill(note);
    await field.press('Enter');
    await page.waitForTimeout(300);
    expect(await page.getByRole('alertdialog', { name: 'Confirm the decision' }).count()).toBe(0);
    expect((await service.store.getReview(id))?.status).toBe('open');
    await page.getByRole('button', { name: label, exact: true }).click();
    await page.getByRole('alertdialog', { name: 'Confirm the decision' }).waitFor();
    expect((await service.store.getReview(id))?.status).toBe('open');
    await page.getByRole('button', { name: `Confirm: ${label.toLowerCase()}` }).click();
    await page.getByRole('heading', { name: 'Decided' }).waitFor();
    await page.getByText(`Case ${id}: ${label.toLowerCase()} — `).waitFor();
    const decided = page.locator('#decided');
    await decided.getByText('Reviewer Person').waitFor();
    await decided.getByText(note).waitFor();
  }

  /** The subject page's timeline shows the state change and the audit line of the decision. */
  async function timelineShows(page: Page, ref: string, to: string, action: string): Promise<void> {
    await page.getByRole('link', { name: 'Subject page and timeline' }).click();
    await page.getByRole('heading', { name: ref }).waitFor();
    const timeline = page.locator('#timeline');
    await timeline.getByText(`in_review → ${to}`).waitFor();
    await timeline.getByText(`Reviewer Person: ${action}`).waitFor();
  }

  async function attemptsOf(ref: string): Promise<{ used: number; max: number }> {
    const answer = await fetch(`${service.url}/admin/api/subjects/${encodeURIComponent(ref)}`, {
      headers: { authorization: `Bearer ${tokens.admin!}` },
    });
    return ((await answer.json()) as { attempts: { used: number; max: number } }).attempts;
  }

  async function openCaseInBrowser(page: Page, ref: string): Promise<void> {
    await page
      .getByRole('navigation', { name: 'Console' })
      .getByRole('link', { name: 'Review queue' })
      .click();
    await page.getByRole('link', { name: ref }).click();
    await page.getByRole('heading', { name: `Case for ${ref}` }).waitFor();
  }

  it('a reviewer opens a case, sees the evidence, reveals (audited), Enter decides nothing, a reject needs confirming', async () => {
    const { ref, id } = await openCase();
    const { page, errors } = await signIn('reviewer');
    await openCaseInBrowser(page, ref);
    await page.getByRole('heading', { name: 'Verification report' }).waitFor();
    await page.getByText('selfie_manipulated').first().waitFor();
    await page.getByRole('button', { name: 'Reveal personal data' }).click();
    await page.getByText('Shown once, recorded in the audit log, not stored.').waitFor();
    await page.getByText('Jenny').first().waitFor();
    // The report's images, streamed through idv under img-src 'self', each loaded and audited.
    for (const label of ['Document front', 'Document back', 'Face on the document', 'Selfie']) {
      const image = page.getByRole('img', { name: label });
      await image.waitFor();
      await page.waitForFunction(
        (el) => (el as { naturalWidth: number } | null)!.naturalWidth > 0,
        await image.elementHandle(),
      );
    }
    expect((await service.store.listAudit({ subjectRef: ref, limit: 10 })).data.map((a) => a.action)).toEqual(
      expect.arrayContaining(['review.reveal', 'review.file']),
    );
    await page.screenshot({ path: '/tmp/console-case.png', fullPage: true });

    const note = page.getByLabel('Note (required)');
    await note.fill('expired passport again - reject');
    await note.press('Enter');
    await page.waitForTimeout(300);
    expect((await service.store.getReview(id))?.status).toBe('open');
    expect((await service.store.getSubject(ref))?.subject.view.state).toBe('in_review');

    await page.getByRole('button', { name: 'Reject', exact: true }).click();
    await page.getByRole('alertdialog', { name: 'Confirm the decision' }).waitFor();
    await page.screenshot({ path: '/tmp/console-confirm.png', fullPage: true });
    expect((await service.store.getReview(id))?.status).toBe('open');
    await page.getByRole('button', { name: 'Confirm: reject' }).click();
    await page.getByRole('heading', { name: 'Decided' }).waitFor();
    await page.getByText(`Case ${id}: reject`).waitFor();
    expect(await service.store.getReview(id)).toMatchObject({ status: 'rejected', actor: 'Reviewer Person' });
    expect((await service.store.getSubject(ref))?.subject.view.state).toBe('rejected');

    await timelineShows(page, ref, 'rejected', 'review.reject');
    await page.screenshot({ path: '/tmp/console-subject.png', fullPage: true });
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Subjects' }).click();
    await page.getByLabel('State').selectOption('rejected');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('link', { name: ref }).waitFor();
    await page.screenshot({ path: '/tmp/console-subjects.png', fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a reviewer approves: Enter decides nothing, the confirmation, the timeline and the audit log say so', async () => {
    const { ref, id } = await openCase();
    const { page, errors } = await signIn('reviewer');
    await openCaseInBrowser(page, ref);
    await decideInBrowser(page, id, 'Approve', 'selfie matches the passport photo');
    expect(await service.store.getReview(id)).toMatchObject({ status: 'approved', actor: 'Reviewer Person' });
    expect((await service.store.getSubject(ref))?.subject.view.state).toBe('verified');
    await timelineShows(page, ref, 'verified', 'review.approve');
    const audit = await service.store.listAudit({ subjectRef: ref, limit: 10 });
    expect(audit.data.map((a) => [a.action, a.actor, a.target])).toContainEqual([
      'review.approve',
      'Reviewer Person',
      id,
    ]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a reviewer grants another attempt: the subject may retry, one more attempt, on its timeline and in the audit log', async () => {
    const { ref, id } = await openCase();
    const before = await attemptsOf(ref);
    const { page, errors } = await signIn('reviewer');
    await openCaseInBrowser(page, ref);
    await decideInBrowser(page, id, 'Grant another attempt', 'blurry selfie, let them try again');
    expect(await service.store.getReview(id)).toMatchObject({
      status: 'retry_granted',
      actor: 'Reviewer Person',
    });
    expect((await service.store.getSubject(ref))?.subject.view.state).toBe('retry_required');
    expect((await attemptsOf(ref)).max).toBe(before.max + 1);
    await timelineShows(page, ref, 'retry_required', 'review.retry');
    await page.getByText(`of ${before.max + 1} used`).waitFor();

    // The admin's audit log, filtered to the subject, lists the reviewer's decision.
    const admin = await signIn('admin');
    await admin.page.goto(`${service.url}/admin#/audit?subject=${encodeURIComponent(ref)}`);
    const row = admin.page.locator('tbody tr', { hasText: 'review.retry' });
    await row.getByText('Reviewer Person').waitFor();
    await row.getByText(id).waitFor();
    expect(errors).toEqual([]);
    expect(admin.errors).toEqual([]);
    await admin.page.context().close();
    await page.context().close();
  });

  it('a viewer sees the case but no decide button, and the API refuses them', async () => {
    const { id } = await openCase();
    const { page, errors } = await signIn('viewer');
    await page.goto(`${service.url}/admin#/reviews/${id}`);
    await page.getByRole('heading', { name: 'Verification report' }).waitFor();
    expect(await page.getByRole('button', { name: 'Reject', exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Reveal personal data' }).count()).toBe(0);
    await page.getByText('Reviewers decide cases.').waitFor();
    // With the session's own CSRF token, so the refusal is the role's: 403 forbidden.
    const answers = await page.evaluate(async (caseId) => {
      const session = (await (await fetch('/admin/session')).json()) as { csrf_token: string };
      const post = async (path: string, body: unknown) => {
        const res = await fetch(path, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idv-csrf': session.csrf_token },
          body: JSON.stringify(body),
        });
        return [res.status, ((await res.json()) as { error: { code: string } }).error.code];
      };
      return [
        await post(`/admin/api/reviews/${caseId}/decision`, { decision: 'approve', note: 'x' }),
        await post(`/admin/api/reviews/${caseId}/reveal`, {}),
      ];
    }, id);
    expect(answers).toEqual([
      [403, 'forbidden'],
      [403, 'forbidden'],
    ]);
    expect((await service.store.getReview(id))?.status).toBe('open');
    await page.screenshot({ path: '/tmp/console-viewer-case.png', fullPage: true });
    expect(errors.filter((e) => !e.includes('403'))).toEqual([]);
    await page.context().close();
  });

  it('an admin opens an event from the list, reads its payload masked and replays it', async () => {
    const { ref } = await openCase();
    const { page, errors } = await signIn('admin');
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Events' }).click();
    const row = page.getByRole('row').filter({ hasText: ref });
    await row.first().waitFor();
    await row.first().getByRole('link', { name: /^evt_/ }).click();
    const payload = page.locator('#payload');
    await payload.waitFor();
    const text = await payload.innerText();
    expect(text).toContain('"code": "selfie_manipulated"');
    expect(text).toContain('"client_reference_id": "•••"');
    expect(text).not.toContain(`"${ref}"`);
    await page.screenshot({ path: '/tmp/console-event.png', fullPage: true });
    await page.getByRole('button', { name: /^Replay evt_/ }).click();
    await page.getByText('will be processed again.').waitFor();
    const eventId = (await page.getByRole('heading', { level: 1 }).innerText()).trim();
    await waitFor(async () =>
      (await service.store.listAudit({ limit: 50 })).data.find(
        (a) => a.action === 'event.replay' && a.target === eventId,
      ),
    );
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('an admin pages through emails and callbacks, the audit log and unlinked sessions', async () => {
    const { page, errors } = await signIn('admin');
    for (const [name, heading, shot] of [
      ['Emails & callbacks', 'Emails & callbacks', 'reactions'],
      ['Audit log', 'Audit log', 'audit'],
      ['Unlinked sessions', 'Unlinked sessions', 'sessions'],
      ['Events', 'Events', 'events'],
      ['Review queue', 'Review queue', 'queue'],
    ] as const) {
      await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name }).click();
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      await page.getByText('Loading…').waitFor({ state: 'detached' });
      await page.screenshot({ path: `/tmp/console-${shot}.png`, fullPage: true });
    }
    await page.setViewportSize({ width: 390, height: 800 });
    await page.getByRole('heading', { name: 'Review queue' }).waitFor();
    await page.screenshot({ path: '/tmp/console-phone.png', fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
