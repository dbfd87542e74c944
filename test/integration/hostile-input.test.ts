/**
 * Bad input never becomes a 5xx, on both stores: correctly signed events PostgreSQL could not take (NUL,
 * `created: 1e20`) or nothing could re-serialise (10,000 levels) are answered 200 and stored as ignored
 * with their reason, without failing the events they share a group commit with; NUL in a parameter is
 * 400; subject refs have a character set, and a ref outside Latin-1 can open a session and get its
 * callback (its keys travel in headers).
 */
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@idv-outcomes/emulator';
import { startCallbackReceiver, type CallbackReceiver } from '../reactions/helpers.js';
import { serviceLegs } from '../helpers/service-legs.js';
import {
  ADMIN_TOKEN,
  API_TOKEN,
  WEBHOOK_SECRET,
  startTestService,
  type TestService,
} from '../helpers/service.js';
import { postSigned, sessionEvent, signedRequest, uniqueId } from '../helpers/stripe-events.js';
import { waitFor } from '../helpers/wait.js';

const LEGS = await serviceLegs();
const verified = () =>
  sessionEvent({
    type: 'identity.verification_session.verified',
    sessionId: uniqueId('vs'),
    subject: uniqueId('user'),
  });

/** The poisoned bodies, as text: the deep one cannot even be built with JSON.stringify. */
function poisons(): { id: string; body: string; reason: string }[] {
  const nulInType: Record<string, unknown> = {
    ...verified(),
    type: 'identity.verification_session.verified\u0000',
  };
  const nulInRef = verified();
  (nulInRef.data as { object: { metadata: Record<string, string> } }).object.metadata.user_id = 'user\u0000x';
  const farFuture: Record<string, unknown> = { ...verified(), created: 1e20 };
  // A session `url` is scrubbed before storing, which used to re-serialise the whole body.
  const deep = verified();
  const deepText = JSON.stringify(deep).replace(
    '"url":null',
    `"url":"https://verify.stripe.com/start/x","nested":${'['.repeat(10_000)}{"url":"x"}${']'.repeat(10_000)}`,
  );
  const nul = 'a string holds a NUL character';
  return [
    { id: nulInType.id as string, body: JSON.stringify(nulInType), reason: nul },
    { id: nulInRef.id as string, body: JSON.stringify(nulInRef), reason: nul },
    {
      id: farFuture.id as string,
      body: JSON.stringify(farFuture),
      reason: '"created" is not a Unix time in seconds',
    },
    { id: deep.id as string, body: deepText, reason: 'nested deeper than 32 levels' },
  ];
}

describe.each(LEGS)('on the $name store', ({ skipReason, start }) => {
  if (skipReason) {
    it.skip(`is skipped: ${skipReason}`, () => undefined);
    return;
  }
  let service: TestService;
  beforeAll(async () => {
    service = await start();
  });
  afterAll(async () => {
    await service?.stop();
  });
  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${service.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...init.headers },
    });

  it('answers 200 to poisoned signed events in a batch with good ones, and stores each as it can', async () => {
    const good = Array.from({ length: 20 }, verified);
    const bad = poisons();
    // Interleaved and sent at once, so the poisoned ones share group commits with good ones.
    const sends = [
      ...good.slice(0, 10).map((event) => postSigned(service.url, event, WEBHOOK_SECRET)),
      ...bad.map(({ body }) => {
        const signed = signedRequest(body, WEBHOOK_SECRET);
        return fetch(`${service.url}/webhook`, { method: 'POST', ...signed });
      }),
      ...good.slice(10).map((event) => postSigned(service.url, event, WEBHOOK_SECRET)),
    ];
    expect((await Promise.all(sends)).map((res) => res.status)).toEqual(sends.map(() => 200));

    for (const { id, reason } of bad) {
      expect(await service.store.getEvent(id)).toMatchObject({
        status: 'ignored',
        ignoredReason: `invalid_payload: ${reason}`,
      });
    }
    for (const event of good) {
      await waitFor(async () =>
        (await service.store.getEvent(event.id as string))?.status === 'processed' ? true : undefined,
      );
    }
    // The admin API shows them, with their reason, like any other ignored event.
    const shown = (await (await admin(`/admin/api/events/${bad[0]!.id}`)).json()) as Record<string, unknown>;
    expect(shown).toMatchObject({ status: 'ignored', ignored_reason: `invalid_payload: ${bad[0]!.reason}` });
  });

  it('answers 400 invalid_request to a NUL in any parameter, never 500', async () => {
    const cases: [string, RequestInit?][] = [
      ['/admin/api/events?status=%00'],
      ['/admin/api/events?starting_after=evt_%00'],
      ['/admin/api/events/evt_%00'],
      ['/admin/api/reactions?subject=%00'],
      ['/admin/api/subjects/%00'],
      [
        '/admin/api/reviews/rv_1/decision',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ decision: 'approve', note: 'ok\u0000' }),
        },
      ],
    ];
    for (const [path, init] of cases) {
      const res = await admin(path, init);
      expect([path, res.status]).toEqual([path, 400]);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
    }
    const app = await fetch(`${service.url}/v1/subjects/%00`, {
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    expect(app.status).toBe(400);
  });

  it('answers subject refs outside the documented set with 400 naming ref, and serves any ref inside it', async () => {
    const get = (ref: string) =>
      fetch(`${service.url}/v1/subjects/${encodeURIComponent(ref)}`, {
        headers: { authorization: `Bearer ${API_TOKEN}` },
      });
    for (const ref of ['x'.repeat(129), 'a\u202eb', 'line\nbreak', 'tab\there']) {
      const res = await get(ref);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { param: string } }).error.param).toBe('ref');
    }
    for (const ref of ['用户-42', '🙂'.repeat(128), 'Zoë O’Brien']) {
      const res = await get(ref);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { ref: string }).ref).toBe(ref);
    }
  });
});

describe('a subject ref outside Latin-1', () => {
  const KEY = 'sk_test_idv_hostile_input';
  const CALLBACK_SECRET = 'cb_secret_for_hostile_input_tests';
  let emulator: Emulator;
  let receiver: CallbackReceiver;
  let service: TestService;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, host: '127.0.0.1' });
    receiver = await startCallbackReceiver(CALLBACK_SECRET);
    service = await startTestService({
      STRIPE_SECRET_KEY: KEY,
      STRIPE_API_BASE: emulator.url,
      IDV_CALLBACK_URL: receiver.url,
      IDV_CALLBACK_SECRET: CALLBACK_SECRET,
    });
  });
  afterAll(async () => {
    await service?.stop();
    await receiver?.close();
    await emulator?.close();
  });

  it('opens a session (its idempotency key is encoded for the header) and gets its callback', async () => {
    const ref = `用户-${uniqueId('u')}`;
    const res = await fetch(`${service.url}/v1/subjects/${encodeURIComponent(ref)}/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(201);
    const { session_id: sessionId } = (await res.json()) as { session_id: string };
    const stripe = new Stripe(KEY, {
      host: '127.0.0.1',
      port: emulator.port,
      protocol: 'http',
      telemetry: false,
    });
    expect((await stripe.identity.verificationSessions.retrieve(sessionId)).client_reference_id).toBe(ref);

    const event = sessionEvent({ type: 'identity.verification_session.verified', sessionId, subject: ref });
    expect((await postSigned(service.url, event, WEBHOOK_SECRET)).status).toBe(200);
    const callback = await waitFor(() => receiver.received.find((c) => c.body.subject?.ref === ref));
    expect(callback.signatureValid).toBe(true);
    expect(decodeURIComponent(String(callback.headers['idempotency-key']))).toContain(ref);
  });
});
