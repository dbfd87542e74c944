import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestEmulator, startReceiver, startTestEmulator, testHelper } from './helpers.js';

let t: TestEmulator;
beforeEach(async () => {
  t = await startTestEmulator();
});
afterEach(() => t.emulator.close());

const short = (events: Stripe.Event[]) =>
  events.map((e) => e.type.replace('identity.verification_session.', ''));

describe('GET /v1/events (reference §4.1)', () => {
  beforeEach(async () => {
    const a = await t.stripe.identity.verificationSessions.create({ type: 'document' });
    await testHelper(t.stripe, a.id, 'verify');
    const b = await t.stripe.identity.verificationSessions.create({ type: 'document' });
    await t.stripe.identity.verificationSessions.cancel(b.id);
  });

  it('lists newest first and retrieves one event', async () => {
    const page = await t.stripe.events.list();
    expect(short(page.data)).toEqual(['canceled', 'created', 'verified', 'processing', 'created']);
    expect(page).toMatchObject({ object: 'list', has_more: false, url: '/v1/events' });
    const one = await t.stripe.events.retrieve(page.data[0]!.id);
    expect(one).toMatchObject({
      id: page.data[0]!.id,
      object: 'event',
      livemode: false,
      api_version: '2026-10-28.endive',
    });
    expect(one.request?.id).toMatch(/^req_/);
    await expect(t.stripe.events.retrieve('evt_nope')).rejects.toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
  });

  it('filters by exact type, by a * group and by types[]', async () => {
    expect(
      short((await t.stripe.events.list({ type: 'identity.verification_session.created' })).data),
    ).toEqual(['created', 'created']);
    expect((await t.stripe.events.list({ type: 'identity.verification_session.*' })).data).toHaveLength(5);
    expect((await t.stripe.events.list({ type: 'customer.*' })).data).toHaveLength(0);
    const types = await t.stripe.events.list({
      types: ['identity.verification_session.verified', 'identity.verification_session.canceled'],
    });
    expect(short(types.data)).toEqual(['canceled', 'verified']);
  });

  it('refuses type and types together', async () => {
    const err = await t.stripe.events
      .list({
        type: 'identity.verification_session.created',
        types: ['identity.verification_session.verified'],
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((err as Stripe.errors.StripeError).statusCode).toBe(400);
  });

  it('filters by created and paginates', async () => {
    const all = (await t.stripe.events.list()).data;
    // `created` is per-session monotonic, so the newest event is not always the one with the largest `created`.
    const newest = Math.max(...all.map((e) => e.created));
    expect((await t.stripe.events.list({ created: { gt: newest } })).data).toHaveLength(0);
    expect((await t.stripe.events.list({ created: { lte: newest } })).data).toHaveLength(5);
    const firstPage = await t.stripe.events.list({ limit: 2 });
    expect(firstPage.has_more).toBe(true);
    const paged = await t.stripe.events.list({ limit: 2 }).autoPagingToArray({ limit: 100 });
    expect(paged.map((e) => e.id)).toEqual(all.map((e) => e.id));
  });
});

describe('delivery_success filter (reference §4.1, §11.7)', () => {
  it('false lists the events an endpoint still waits for, true the delivered ones', async () => {
    const good = await startReceiver(() => 200);
    const bad = await startReceiver(() => 500);
    try {
      await t.stripe.webhookEndpoints.create({
        url: good.url,
        enabled_events: ['identity.verification_session.created'],
      });
      await t.stripe.webhookEndpoints.create({
        url: bad.url,
        enabled_events: ['identity.verification_session.canceled'],
      });
      const vs = await t.stripe.identity.verificationSessions.create({ type: 'document' });
      await t.stripe.identity.verificationSessions.cancel(vs.id);
      await t.emulator.idle();

      expect(short((await t.stripe.events.list({ delivery_success: false })).data)).toEqual(['canceled']);
      expect(short((await t.stripe.events.list({ delivery_success: true })).data)).toEqual(['created']);
      expect((await t.stripe.events.list({ delivery_success: false })).data[0]!.pending_webhooks).toBe(1);
    } finally {
      await good.close();
      await bad.close();
    }
  });
});
