/**
 * Erasure and access on both stores: `GET /v1/subjects/:ref/export` returns everything idv holds about a
 * user; `DELETE /v1/subjects/:ref` redacts their sessions at Stripe and purges every personal field idv
 * holds, keeping a tombstone; later reads answer 410 `subject_erased`; both are in the audit log.
 */
import { startEmulator, type Emulator } from '@idv-outcomes/emulator';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, API_TOKEN, WEBHOOK_SECRET, type TestService } from '../helpers/service.js';
import { serviceLegs } from '../helpers/service-legs.js';
import { postSigned, sessionEvent } from '../helpers/stripe-events.js';
import { waitFor } from '../helpers/wait.js';

const KEY = 'sk_test_idv_erasure';
const EMAIL = 'erase.me@example.com';
const NOTE = 'document looked altered, asked for a call';
const OPERATOR = 'Grace Operator';
const LEGS = await serviceLegs();

describe.each(LEGS)('erasure and export on $name', ({ skipReason, start }) => {
  let emulator: Emulator;
  let stripe: Stripe;
  let service: TestService;
  const ref = `erase_user_${Date.now().toString(36)}`;
  let sessionId = '';

  const call = (method: string, path: string, token = API_TOKEN, body?: unknown) =>
    fetch(`${service.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'idv-actor': OPERATOR,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  beforeAll(async () => {
    if (skipReason) return;
    emulator = await startEmulator({ port: 0, host: '127.0.0.1', redactionDelayMs: 10 });
    stripe = new Stripe(KEY, { host: '127.0.0.1', port: emulator.port, protocol: 'http', telemetry: false });
    service = await start({ STRIPE_SECRET_KEY: KEY, STRIPE_API_BASE: emulator.url });
    const opened = await call('POST', `/v1/subjects/${ref}/sessions`, API_TOKEN, { email: EMAIL });
    expect(opened.status).toBe(201);
    sessionId = ((await opened.json()) as { session_id: string }).session_id;
    const event = sessionEvent({
      type: 'identity.verification_session.requires_input',
      sessionId,
      subject: ref,
      code: 'selfie_manipulated',
      email: EMAIL,
    });
    expect((await postSigned(service.url, event, WEBHOOK_SECRET)).status).toBe(200);
    const review = await waitFor(async () => (await service.store.getSubject(ref))?.openReview ?? undefined);
    const decided = await call('POST', `/admin/api/reviews/${review.id}/decision`, ADMIN_TOKEN, {
      decision: 'reject',
      note: NOTE,
    });
    expect(decided.status).toBe(200);
  });

  afterAll(async () => {
    if (skipReason) return;
    await service.stop();
    await emulator.close();
  });

  it.skipIf(skipReason)('exports everything idv holds about the user, and audits the export', async () => {
    const res = await call('GET', `/v1/subjects/${ref}/export`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const doc = (await res.json()) as Record<string, unknown>;
    const text = JSON.stringify(doc);
    expect(doc).toMatchObject({ ref, subject: { state: 'rejected', email: EMAIL } });
    expect(text).toContain(NOTE);
    expect(text).toContain(OPERATOR);
    expect((doc.events as unknown[]).length).toBeGreaterThan(0);
    const audit = await service.store.listAudit({ subjectRef: ref, limit: 10 });
    expect(audit.data.map((a) => [a.action, a.actorId])).toContainEqual(['subject.export', 'app']);
  });

  it.skipIf(skipReason)(
    'erases the user at Stripe and here, keeps a tombstone, and answers 410 afterwards',
    async () => {
      const res = await call('DELETE', `/v1/subjects/${ref}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ref, erased: true });

      const atStripe = await stripe.identity.verificationSessions.retrieve(sessionId);
      expect(atStripe.redaction).not.toBeNull();

      for (const path of [`/v1/subjects/${ref}`, `/v1/subjects/${ref}/export`]) {
        const read = await call('GET', path);
        expect(read.status).toBe(410);
        expect(((await read.json()) as { error: { code: string } }).error.code).toBe('subject_erased');
      }
      const admin = await call('GET', `/admin/api/subjects/${ref}`, ADMIN_TOKEN);
      expect(admin.status).toBe(410);
      expect((await call('DELETE', `/v1/subjects/${ref}`)).status).toBe(200);

      // Nothing personal is left in what the store returns, and the tombstone keeps the state.
      const detail = await service.store.getSubject(ref);
      expect(detail?.subject.view.state).toBe('rejected');
      const stored = JSON.stringify([
        detail,
        await service.store.listReviews({ subjectRef: ref, limit: 10 }),
        await service.store.listSessionEvents([sessionId]),
      ]);
      for (const secret of [EMAIL, NOTE, OPERATOR]) expect(stored).not.toContain(secret);
      const audit = await service.store.listAudit({ subjectRef: ref, limit: 10 });
      expect(audit.data.map((a) => a.action)).toContain('subject.erase');
    },
  );
});
