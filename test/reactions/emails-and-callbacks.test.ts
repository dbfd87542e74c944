import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whenPipelineIdle } from '../../src/worker/loop.js';
import { ADMIN_TOKEN, WEBHOOK_SECRET, startTestService, type TestService } from '../helpers/service.js';
import { postSigned, sessionEvent, uniqueId } from '../helpers/stripe-events.js';
import { waitFor } from '../helpers/wait.js';
import {
  partOf,
  startCallbackReceiver,
  startMailSink,
  type CallbackReceiver,
  type MailSink,
} from './helpers.js';

const CALLBACK_SECRET = 'cb_secret_for_tests_0001';
const type = (t: string) => `identity.verification_session.${t}`;
const T0 = Math.floor(Date.now() / 1000) - 3600;

let service: TestService;
let mail: MailSink;
let app: CallbackReceiver;

beforeAll(async () => {
  mail = await startMailSink();
  app = await startCallbackReceiver(CALLBACK_SECRET);
  service = await startTestService({
    SMTP_URL: mail.url,
    IDV_EMAIL_FROM: 'Acme Identity <identity@acme.test>',
    IDV_CALLBACK_URL: app.url,
    IDV_CALLBACK_SECRET: CALLBACK_SECRET,
    IDV_RETRY_URL: 'https://app.acme.test/verify?user={ref}',
    IDV_RETRY_SCHEDULE_MS: '50,50,50',
  });
});
afterAll(async () => {
  await service.stop();
  await Promise.all([mail.close(), app.close()]);
});

async function send(event: Record<string, unknown>): Promise<void> {
  expect((await postSigned(service.url, event, WEBHOOK_SECRET)).status).toBe(200);
}

function settled(ref: string, count: number) {
  return waitFor(
    async () => {
      const rows = await service.store.listReactions({ subjectRef: ref, limit: 100 });
      return rows.length >= count && rows.every((r) => r.status === 'done' || r.status === 'skipped')
        ? rows
        : undefined;
    },
    10_000,
    `${count} reactions of ${ref} finished`,
  );
}

const mailsTo = (address: string) => mail.mails.filter((m) => m.to.includes(address));
const callbacksFor = (ref: string) => app.received.filter((c) => c.body.subject?.ref === ref);

describe('emails and signed callbacks', () => {
  it('a failed check emails the reason and the retry link, and calls back signed', async () => {
    const ref = uniqueId('user');
    const address = `${ref}@example.test`;
    const vs = uniqueId('vs');
    await send(
      sessionEvent({
        type: type('requires_input'),
        sessionId: vs,
        subject: ref,
        code: 'document_expired',
        reason: 'The document is expired.',
        email: address,
        created: T0,
      }),
    );
    await settled(ref, 2);

    const [email] = mailsTo(address);
    expect(mailsTo(address)).toHaveLength(1);
    expect(email!.to).toEqual([address]);
    expect(email!.from).toBe('identity@acme.test');
    expect(email!.subject).toBe('Action needed: please verify your identity again');
    const text = partOf(email!.raw, 'plain');
    expect(text).toContain('Why: The document is expired.');
    expect(text).toContain(`https://app.acme.test/verify?user=${ref}`);
    expect(text).toContain('attempts left: 2');
    expect(partOf(email!.raw, 'html')).toContain(`href="https://app.acme.test/verify?user=${ref}"`);

    const [callback] = callbacksFor(ref);
    expect(callbacksFor(ref)).toHaveLength(1);
    expect(callback!.signatureValid).toBe(true);
    expect(callback!.headers['idempotency-key']).toMatch(
      new RegExp(`^${ref}:callback:verification.retry_required:`),
    );
    expect(callback!.body).toMatchObject({
      type: 'verification.retry_required',
      subject: { ref, state: 'retry_required' },
      session_id: vs,
      last_error: { code: 'document_expired', reason: 'The document is expired.' },
    });
    expect(callback!.body.id).toMatch(/^cb_[0-9a-f]{32}$/);
    expect(typeof callback!.body.created).toBe('number');
  });

  it('the same outcome delivered five times and as two Event objects sends one email and one callback', async () => {
    const ref = uniqueId('user');
    const address = `${ref}@example.test`;
    const vs = uniqueId('vs');
    const event = sessionEvent({
      type: type('verified'),
      sessionId: vs,
      subject: ref,
      email: address,
      created: T0,
    });
    for (let i = 0; i < 5; i++) await send(event);
    await send({ ...event, id: uniqueId('evt') });
    await settled(ref, 2);
    // Counted once nothing is due: every delivery was applied and a stray second send would have run.
    await whenPipelineIdle(service.worker, service.dispatcher);
    expect(mailsTo(address)).toHaveLength(1);
    expect(mailsTo(address)[0]!.subject).toBe('Your identity is verified');
    expect(callbacksFor(ref)).toHaveLength(1);
    expect(callbacksFor(ref)[0]!.body).toMatchObject({
      type: 'verification.verified',
      subject: { ref, state: 'verified' },
    });
  });

  it('a subject without an email address gets its callback and a skipped email', async () => {
    const ref = uniqueId('user');
    await send(
      sessionEvent({
        type: type('requires_input'),
        sessionId: uniqueId('vs'),
        subject: ref,
        code: 'under_supported_age',
        created: T0,
      }),
    );
    const rows = await settled(ref, 2);
    expect(rows.find((r) => r.kind === 'email')).toMatchObject({
      status: 'skipped',
      result: 'no_email_address',
    });
    expect(rows.find((r) => r.kind === 'callback')).toMatchObject({ status: 'done', attempts: 1 });
    expect(callbacksFor(ref)[0]!.body.type).toBe('verification.rejected');
  });

  it('sends each email topic with its own subject line', async () => {
    const cases = [
      { code: 'selfie_manipulated', subject: 'We are reviewing your identity verification' },
      { code: 'consent_declined', subject: "Let's verify your identity another way" },
      { code: 'under_supported_age', subject: 'Your identity verification was not successful' },
    ];
    for (const c of cases) {
      const ref = uniqueId('user');
      const address = `${ref}@example.test`;
      await send(
        sessionEvent({
          type: type('requires_input'),
          sessionId: uniqueId('vs'),
          subject: ref,
          code: c.code,
          email: address,
          created: T0,
        }),
      );
      await settled(ref, 2);
      expect(mailsTo(address).map((m) => m.subject)).toEqual([c.subject]);
    }
  });

  it('lists reactions for operators without personal data', async () => {
    const res = await fetch(`${service.url}/admin/api/reactions?status=done&limit=5`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: Record<string, unknown>[]; has_more: boolean };
    expect(body.data.length).toBeGreaterThan(0);
    expect(body.data[0]).toMatchObject({
      status: 'done',
      attempts: expect.any(Number),
      kind: expect.any(String),
    });
    expect(JSON.stringify(body)).not.toContain('@example.test');
    const logs = JSON.stringify(service.logs);
    expect(logs).not.toContain('@example.test');
    expect(logs).not.toContain('The document is expired.');
  });
});
