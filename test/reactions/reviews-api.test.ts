import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  API_TOKEN,
  WEBHOOK_SECRET,
  startTestService,
  type TestService,
} from '../helpers/service.js';
import { postSigned, sessionEvent, uniqueId } from '../helpers/stripe-events.js';
import { waitFor } from '../helpers/wait.js';
import { startCallbackReceiver, startMailSink, type CallbackReceiver, type MailSink } from './helpers.js';

const CALLBACK_SECRET = 'cb_secret_reviews';
const T0 = Math.floor(Date.now() / 1000) - 3600;

let service: TestService;
let mail: MailSink;
let app: CallbackReceiver;

beforeAll(async () => {
  mail = await startMailSink();
  app = await startCallbackReceiver(CALLBACK_SECRET);
  service = await startTestService({
    SMTP_URL: mail.url,
    IDV_CALLBACK_URL: app.url,
    IDV_CALLBACK_SECRET: CALLBACK_SECRET,
  });
});
afterAll(async () => {
  await service.stop();
  await Promise.all([mail.close(), app.close()]);
});

interface ReviewAnswer {
  id: string;
  subject: string;
  status: string;
  topic: string;
  note: string | null;
  actor: string | null;
  decided_at: string | null;
  error?: { code: string; message: string; param?: string };
}

function admin(
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  return fetch(`${service.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${ADMIN_TOKEN}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

/** A subject in review (fraud signal), with an email address; returns its open case. */
async function subjectInReview(
  code = 'selfie_manipulated',
): Promise<{ ref: string; address: string; review: ReviewAnswer }> {
  const ref = uniqueId('user');
  const address = `${ref}@example.test`;
  const event = sessionEvent({
    type: 'identity.verification_session.requires_input',
    sessionId: uniqueId('vs'),
    subject: ref,
    code,
    email: address,
    created: T0,
  });
  expect((await postSigned(service.url, event, WEBHOOK_SECRET)).status).toBe(200);
  const review = await waitFor(async () => {
    const list = (await (await admin('/admin/api/reviews?status=open&limit=100')).json()) as {
      data: ReviewAnswer[];
    };
    return list.data.find((r) => r.subject === ref);
  });
  // The in-review email and callback went out first.
  await waitFor(() => (app.received.some((c) => c.body.subject?.ref === ref) ? true : undefined));
  return { ref, address, review };
}

async function subjectState(
  ref: string,
): Promise<{ state: string; history: { to: string; actor?: string; decision: string }[] }> {
  const res = await fetch(`${service.url}/v1/subjects/${ref}`, {
    headers: { authorization: `Bearer ${API_TOKEN}` },
  });
  return (await res.json()) as { state: string; history: { to: string; actor?: string; decision: string }[] };
}

describe('review decisions', () => {
  it('lists open cases and shows one', async () => {
    const { ref, review } = await subjectInReview();
    expect(review).toMatchObject({ subject: ref, status: 'open', topic: 'review', decided_at: null });
    const one = (await (await admin(`/admin/api/reviews/${review.id}`)).json()) as ReviewAnswer;
    expect(one).toMatchObject({ id: review.id, subject: ref, status: 'open' });
    expect((await admin('/admin/api/reviews/rev_nope')).status).toBe(404);
  });

  it('approve verifies the subject, records who and why, and tells the user and the app once', async () => {
    const { ref, address, review } = await subjectInReview();
    const res = await admin(`/admin/api/reviews/${review.id}/decision`, {
      method: 'POST',
      body: { decision: 'approve', note: 'Document checked by phone call' },
      headers: { 'idv-actor': 'alice@ops' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: review.id,
      status: 'approved',
      note: 'Document checked by phone call',
      actor: 'alice@ops',
    });

    const subject = await subjectState(ref);
    expect(subject.state).toBe('verified');
    expect(subject.history.at(-1)).toMatchObject({
      to: 'verified',
      actor: 'alice@ops',
      decision: 'manual_decision',
    });

    await waitFor(() => (mail.mails.filter((m) => m.to.includes(address)).length === 2 ? true : undefined));
    expect(mail.mails.filter((m) => m.to.includes(address)).map((m) => m.subject)).toEqual([
      'We are reviewing your identity verification',
      'Your identity is verified',
    ]);
    await waitFor(() =>
      app.received.filter((c) => c.body.subject?.ref === ref).length === 2 ? true : undefined,
    );
    expect(app.received.filter((c) => c.body.subject?.ref === ref).map((c) => c.body.type)).toEqual([
      'verification.needs_review',
      'verification.verified',
    ]);

    const again = await admin(`/admin/api/reviews/${review.id}/decision`, {
      method: 'POST',
      body: { decision: 'reject', note: 'changed my mind' },
    });
    expect(again.status).toBe(409);
    expect(((await again.json()) as ReviewAnswer).error?.code).toBe('conflict');
  });

  it('reject makes the subject rejected; the actor may come from the body', async () => {
    const { ref, review } = await subjectInReview('consent_declined');
    expect(review.topic).toBe('alternative');
    const res = await admin(`/admin/api/reviews/${review.id}/decision`, {
      method: 'POST',
      body: { decision: 'reject', note: 'no alternative document', actor: 'bob' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'rejected', actor: 'bob' });
    expect((await subjectState(ref)).state).toBe('rejected');
    await waitFor(() =>
      app.received.some((c) => c.body.subject?.ref === ref && c.body.type === 'verification.rejected')
        ? true
        : undefined,
    );
  });

  it('requires a note and a known decision', async () => {
    const { review } = await subjectInReview();
    const noNote = await admin(`/admin/api/reviews/${review.id}/decision`, {
      method: 'POST',
      body: { decision: 'approve' },
    });
    expect(noNote.status).toBe(400);
    expect(((await noNote.json()) as ReviewAnswer).error).toMatchObject({
      code: 'invalid_request',
      param: 'note',
    });
    const badDecision = await admin(`/admin/api/reviews/${review.id}/decision`, {
      method: 'POST',
      body: { decision: 'maybe', note: 'x' },
    });
    expect(((await badDecision.json()) as ReviewAnswer).error).toMatchObject({ param: 'decision' });
    const actorDefault = await admin(`/admin/api/reviews/${review.id}/decision`, {
      method: 'POST',
      body: { decision: 'approve', note: 'fine' },
    });
    expect(await actorDefault.json()).toMatchObject({ actor: 'admin' });
  });

  it('answers 401 without the admin token', async () => {
    expect((await fetch(`${service.url}/admin/api/reviews`)).status).toBe(401);
    expect((await fetch(`${service.url}/admin/api/reactions`)).status).toBe(401);
  });
});
