import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@idv-outcomes/emulator';
import { API_TOKEN, WEBHOOK_SECRET, startTestService, type TestService } from '../helpers/service.js';
import { postSigned, sessionEvent, uniqueId } from '../helpers/stripe-events.js';
import { waitFor } from '../helpers/wait.js';

const KEY = 'sk_test_idv_sessions_api';
const T0 = Math.floor(Date.now() / 1000) - 3600;
const type = (t: string) => `identity.verification_session.${t}`;

let emulator: Emulator;
let stripe: Stripe;
let service: TestService;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, host: '127.0.0.1' });
  stripe = new Stripe(KEY, {
    host: '127.0.0.1',
    port: emulator.port,
    protocol: 'http',
    maxNetworkRetries: 0,
    telemetry: false,
  });
  service = await startTestService({ STRIPE_SECRET_KEY: KEY, STRIPE_API_BASE: emulator.url });
});
afterAll(async () => {
  await service.stop();
  await emulator.close();
});

interface SessionAnswer {
  session_id: string;
  url: string | null;
  client_secret: string | null;
  error?: { code: string; message: string; request_id?: string | null };
}

async function requestSession(
  ref: string,
  body: Record<string, unknown> = {},
  target: { url: string } = service,
) {
  const res = await fetch(`${target.url}/v1/subjects/${ref}/sessions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as SessionAnswer };
}

async function sessionsAtStripe(ref: string): Promise<Stripe.Identity.VerificationSession[]> {
  return (await stripe.identity.verificationSessions.list({ client_reference_id: ref, limit: 100 })).data;
}

async function deliver(spec: Parameters<typeof sessionEvent>[0]): Promise<void> {
  const event = sessionEvent(spec);
  expect((await postSigned(service.url, event, WEBHOOK_SECRET)).status).toBe(200);
  await waitFor(async () =>
    (await service.store.getEvent(event.id as string))?.status === 'processed' ? true : undefined,
  );
}

describe('POST /v1/subjects/:ref/sessions', () => {
  it('creates a document session at Stripe linked to the subject', async () => {
    const ref = uniqueId('user');
    const { status, body } = await requestSession(ref, {
      email: `${ref}@example.test`,
      return_url: 'https://app.test/done',
    });
    expect(status).toBe(201);
    expect(body.session_id).toMatch(/^vs_/);
    expect(body.url).toMatch(/^http/);
    expect(body.client_secret).toMatch(/^vs_.*_secret_/);

    const [created] = await sessionsAtStripe(ref);
    expect(created).toMatchObject({
      id: body.session_id,
      type: 'document',
      client_reference_id: ref,
      metadata: { user_id: ref },
    });
    const detail = await service.store.getSubject(ref);
    expect(detail?.subject.email).toBe(`${ref}@example.test`);
    expect(detail?.sessions).toEqual([{ id: body.session_id, subjectRef: ref, record: null }]);
  });

  it('hands out the same open session again instead of creating another', async () => {
    const ref = uniqueId('user');
    const first = await requestSession(ref);
    const second = await requestSession(ref);
    expect(second.status).toBe(201);
    expect(second.body.session_id).toBe(first.body.session_id);
    // After a failed check the user retries in the same session (reference §2.1).
    await deliver({
      type: type('requires_input'),
      sessionId: first.body.session_id,
      subject: ref,
      code: 'document_expired',
      created: T0,
    });
    const third = await requestSession(ref);
    expect(third.status).toBe(201);
    expect(third.body.session_id).toBe(first.body.session_id);
    expect(await sessionsAtStripe(ref)).toHaveLength(1);
  });

  it('10 concurrent requests for one subject open one session', async () => {
    const ref = uniqueId('user');
    const answers = await Promise.all(Array.from({ length: 10 }, () => requestSession(ref)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((a) => a.body.session_id)).size).toBe(1);
    expect(await sessionsAtStripe(ref)).toHaveLength(1);
  });

  it('opens a new session once the previous one is canceled', async () => {
    const ref = uniqueId('user');
    const first = await requestSession(ref);
    await stripe.identity.verificationSessions.cancel(first.body.session_id);
    await deliver({ type: type('canceled'), sessionId: first.body.session_id, subject: ref, created: T0 });
    const second = await requestSession(ref);
    expect(second.status).toBe(201);
    expect(second.body.session_id).not.toBe(first.body.session_id);
    expect(await sessionsAtStripe(ref)).toHaveLength(2);
  });

  it('refuses with attempts_exhausted once the attempts are used, also under concurrency', async () => {
    const ref = uniqueId('user');
    const { body } = await requestSession(ref);
    for (let i = 0; i < 3; i++) {
      await deliver({
        type: type('requires_input'),
        sessionId: body.session_id,
        subject: ref,
        code: 'selfie_face_mismatch',
        created: T0 + i * 60,
      });
    }
    const answers = await Promise.all(Array.from({ length: 10 }, () => requestSession(ref)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(409));
    expect(answers[0]!.body.error).toMatchObject({
      code: 'attempts_exhausted',
      message: expect.stringContaining('3'),
    });
    expect(await sessionsAtStripe(ref)).toHaveLength(1);
  });

  it.each([
    ['verified', { type: type('verified') }, 'already_verified'],
    ['in review', { type: type('requires_input'), code: 'selfie_manipulated' }, 'in_review'],
    ['rejected', { type: type('requires_input'), code: 'under_supported_age' }, 'rejected'],
  ])('refuses a %s subject with %s', async (_name, spec, code) => {
    const ref = uniqueId('user');
    await deliver({ ...spec, sessionId: uniqueId('vs'), subject: ref, created: T0 });
    const { status, body } = await requestSession(ref);
    expect(status).toBe(409);
    expect(body.error?.code).toBe(code);
    expect(await sessionsAtStripe(ref)).toHaveLength(0);
  });

  it("passes Stripe's error on as 502 with its request id", async () => {
    const ref = uniqueId('user');
    // A session idv believes it created but Stripe does not know.
    await service.store.updateSubject(
      ref,
      () => ({
        change: {
          sessions: [{ id: 'vs_unknown_to_stripe', subjectRef: ref, record: null }],
          subject: null,
          history: [],
          reactions: [],
        },
        result: undefined,
      }),
      Date.now(),
    );
    const { status, body } = await requestSession(ref);
    expect(status).toBe(502);
    expect(body.error).toMatchObject({
      code: 'stripe_error',
      message: expect.stringContaining('vs_unknown_to_stripe'),
      request_id: expect.stringMatching(/^req_/),
    });
  });

  it('validates the body', async () => {
    const { status, body } = await requestSession(uniqueId('user'), { email: 'not an email' });
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'invalid_request', param: 'email' });
  });

  it('answers 503 stripe_not_configured without STRIPE_SECRET_KEY', async () => {
    const bare = await startTestService();
    try {
      const { status, body } = await requestSession(uniqueId('user'), {}, bare);
      expect(status).toBe(503);
      expect(body.error?.code).toBe('stripe_not_configured');
    } finally {
      await bare.stop();
    }
  });
});
