import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../src/index.js';
import { type Receiver, type TestEmulator, startReceiver, startTestEmulator, testHelper } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function setup(options: Parameters<typeof startTestEmulator>[0] = {}): Promise<TestEmulator> {
  const t = await startTestEmulator(options);
  cleanups.push(() => t.emulator.close());
  return t;
}

async function receiver(respond?: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const r = await startReceiver(respond);
  cleanups.push(() => r.close());
  return r;
}

/** The full lifecycle of one session: created, processing, requires_input, processing, verified. */
async function runSession(stripe: Stripe): Promise<string> {
  const vs = await stripe.identity.verificationSessions.create({
    type: 'document',
    metadata: { user_id: 'u1' },
  });
  await testHelper(stripe, vs.id, 'require_input', { last_error: { code: 'document_expired' } });
  await testHelper(stripe, vs.id, 'verify');
  return vs.id;
}

describe('webhook delivery (reference §5, §6)', () => {
  it('delivers signed events that stripe-node constructEvent accepts, with Stripe headers', async () => {
    const { stripe, emulator } = await setup();
    const r = await receiver();
    const endpoint = await stripe.webhookEndpoints.create({ url: r.url, enabled_events: ['*'] });
    const vsId = await runSession(stripe);
    const received = await r.waitFor(5);
    await emulator.idle();

    const events = received.map((req) =>
      stripe.webhooks.constructEvent(
        req.rawBody,
        req.headers['stripe-signature'] as string,
        endpoint.secret!,
      ),
    );
    expect(events.map((e) => e.type.replace('identity.verification_session.', ''))).toEqual([
      'created',
      'processing',
      'requires_input',
      'processing',
      'verified',
    ]);
    for (const e of events) {
      expect(e).toMatchObject({
        object: 'event',
        livemode: false,
        data: { object: { id: vsId, object: 'identity.verification_session' } },
      });
      expect(e.id).toMatch(/^evt_/);
      expect(e.pending_webhooks).toBe(1);
    }
    const headers = received[0]!.headers;
    expect(headers['content-type']).toBe('application/json; charset=utf-8');
    expect(headers['user-agent']).toBe('Stripe/1.0 (+https://stripe.com/docs/webhooks)');
    expect(headers['stripe-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    // Delivered events are acknowledged: nothing left pending.
    expect((await stripe.events.list({ delivery_success: false })).data).toHaveLength(0);
  });

  it('takes created and the signature timestamp from the injected clock', async () => {
    const { stripe, emulator } = await setup({ clock: () => 1_700_000_000_500 });
    const r = await receiver();
    const endpoint = await stripe.webhookEndpoints.create({ url: r.url, enabled_events: ['*'] });
    const vs = await stripe.identity.verificationSessions.create({ type: 'document' });
    expect(vs.created).toBe(1_700_000_000);
    const [req] = await r.waitFor(1);
    await emulator.idle();
    expect(req!.headers['stripe-signature']).toMatch(/^t=1700000000,/);
    // Tolerance 0 skips stripe-node's recency check (reference §5.2), the fixed clock being in the past.
    const event = stripe.webhooks.constructEvent(
      req!.rawBody,
      req!.headers['stripe-signature'] as string,
      endpoint.secret!,
      0,
    );
    expect(event.created).toBe(1_700_000_000);
  });

  it('an endpoint with * does not receive redacted; one that lists it explicitly does', async () => {
    const { stripe, emulator } = await setup();
    const star = await receiver();
    const explicit = await receiver();
    await stripe.webhookEndpoints.create({ url: star.url, enabled_events: ['*'] });
    await stripe.webhookEndpoints.create({
      url: explicit.url,
      enabled_events: ['identity.verification_session.canceled', 'identity.verification_session.redacted'],
    });
    const vs = await stripe.identity.verificationSessions.create({ type: 'document' });
    await stripe.identity.verificationSessions.redact(vs.id);
    await explicit.waitFor(2);
    await emulator.idle();

    expect(star.received.map((r) => r.event.type)).toEqual([
      'identity.verification_session.created',
      'identity.verification_session.canceled',
    ]);
    expect(explicit.received.map((r) => r.event.type)).toEqual([
      'identity.verification_session.canceled',
      'identity.verification_session.redacted',
    ]);
    const redacted = explicit.received[1]!.event.data.object;
    expect(redacted).toMatchObject({ metadata: {}, redaction: { status: 'redacted' } });
  });

  it('retries a receiver that answers 500 twice, so it gets the event 3 times, each freshly signed', async () => {
    const { stripe, emulator } = await setup({ deliveryRetrySchedule: [30, 30, 30] });
    const r = await receiver((n) => (n <= 2 ? 500 : 200));
    const endpoint = await stripe.webhookEndpoints.create({
      url: r.url,
      enabled_events: ['identity.verification_session.created'],
    });
    await stripe.identity.verificationSessions.create({ type: 'document' });
    await r.waitFor(3);
    await emulator.idle();

    expect(r.received).toHaveLength(3);
    expect(new Set(r.received.map((req) => req.event.id)).size).toBe(1);
    for (const req of r.received)
      stripe.webhooks.constructEvent(
        req.rawBody,
        req.headers['stripe-signature'] as string,
        endpoint.secret!,
      );
    expect(emulator.state.deliveries.map((d) => [d.attempt, d.status, d.ok])).toEqual([
      [1, 500, false],
      [2, 500, false],
      [3, 200, true],
    ]);
    expect((await stripe.events.list()).data[0]!.pending_webhooks).toBe(0);
  });

  it('gives up after the retry schedule and leaves the event pending', async () => {
    const { stripe, emulator } = await setup({ deliveryRetrySchedule: [10, 10] });
    const r = await receiver(() => 503);
    await stripe.webhookEndpoints.create({ url: r.url, enabled_events: ['*'] });
    await stripe.identity.verificationSessions.create({ type: 'document' });
    await r.waitFor(3);
    await emulator.idle();
    expect(r.received).toHaveLength(3);
    expect((await stripe.events.list({ delivery_success: false })).data).toHaveLength(1);
  });

  it('counts a connection error and a timeout as failures and retries them', async () => {
    const { stripe, emulator } = await setup({ deliveryRetrySchedule: [20], deliveryTimeoutMs: 100 });
    // A port nobody listens on: connection refused.
    const closed = await startReceiver();
    await closed.close();
    await stripe.webhookEndpoints.create({ url: closed.url, enabled_events: ['*'] });
    // A receiver that never answers.
    const hanging = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise((resolve) => {
          hanging.close(() => resolve());
          hanging.closeAllConnections();
        }),
    );
    await stripe.webhookEndpoints.create({
      url: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/`,
      enabled_events: ['*'],
    });

    await stripe.identity.verificationSessions.create({ type: 'document' });
    await emulator.idle();
    expect(emulator.state.deliveries).toHaveLength(4);
    expect(emulator.state.deliveries.every((d) => !d.ok && d.status === null && d.error)).toBe(true);
    expect(emulator.state.deliveries.some((d) => /timed out/.test(d.error ?? ''))).toBe(true);
  });

  it('a hanging receiver does not hold up deliveries to another endpoint', async () => {
    const { stripe } = await setup({ deliveryTimeoutMs: 5_000, deliveryRetrySchedule: [] });
    const hanging = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise((resolve) => {
          hanging.close(() => resolve());
          hanging.closeAllConnections();
        }),
    );
    await stripe.webhookEndpoints.create({
      url: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/`,
      enabled_events: ['*'],
    });
    const fast = await receiver();
    await stripe.webhookEndpoints.create({ url: fast.url, enabled_events: ['*'] });
    await runSession(stripe);
    await fast.waitFor(5, 2_000);
  });

  it('does not deliver to a disabled endpoint, nor later the events created while it was disabled', async () => {
    const { stripe, emulator } = await setup();
    const r = await receiver();
    const endpoint = await stripe.webhookEndpoints.create({ url: r.url, enabled_events: ['*'] });
    await stripe.webhookEndpoints.update(endpoint.id, { disabled: true });
    await stripe.identity.verificationSessions.create({ type: 'document' });
    await emulator.idle();
    await stripe.webhookEndpoints.update(endpoint.id, { disabled: false });
    await stripe.identity.verificationSessions.create({ type: 'id_number' });
    await r.waitFor(1);
    await emulator.idle();
    expect(r.received).toHaveLength(1);
    expect(r.received[0]!.event.data.object.type).toBe('id_number');
  });

  it('close() stops pending retries at once', async () => {
    const { stripe, emulator } = await setup({ deliveryRetrySchedule: [60_000] });
    const r = await receiver(() => 500);
    await stripe.webhookEndpoints.create({ url: r.url, enabled_events: ['*'] });
    await stripe.identity.verificationSessions.create({ type: 'document' });
    await r.waitFor(1);
    const started = Date.now();
    await emulator.close();
    await emulator.idle();
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('chaos delivery (reference §6 duplicates and ordering)', () => {
  async function deliveredIds(
    emulator: Emulator,
    stripe: Stripe,
    r: Receiver,
  ): Promise<{ sent: string[]; got: string[] }> {
    await stripe.webhookEndpoints.create({ url: r.url, enabled_events: ['*'] });
    for (let i = 0; i < 3; i++) await runSession(stripe);
    await emulator.idle();
    const sent = (await stripe.events.list({ limit: 100 })).data.map((e) => e.id);
    return { sent, got: r.received.map((req) => req.event.id) };
  }

  it('duplicate sends every event twice and still delivers exactly the set of event ids', async () => {
    const { stripe, emulator } = await setup({ chaos: { duplicate: 1 } });
    const r = await receiver();
    const { sent, got } = await deliveredIds(emulator, stripe, r);
    expect(got).toHaveLength(sent.length * 2);
    expect(new Set(got)).toEqual(new Set(sent));
    expect(emulator.state.deliveries.filter((d) => d.duplicate)).toHaveLength(sent.length);
  });

  it('reorder and delay deliver the same set of event ids in another order', async () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const { stripe, emulator } = await setup({
      chaos: { reorder: 0.5, delay: 20, reorderHoldMs: 200, random },
    });
    const r = await receiver();
    const { sent, got } = await deliveredIds(emulator, stripe, r);
    expect(got).toHaveLength(sent.length);
    expect(new Set(got)).toEqual(new Set(sent));
    expect(got).not.toEqual([...sent].reverse());
  });
});
