import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestEmulator, startTestEmulator } from './helpers.js';

let t: TestEmulator;
beforeEach(async () => {
  t = await startTestEmulator();
});
afterEach(() => t.emulator.close());

describe('webhook endpoints (reference §7)', () => {
  it('create returns the secret once; retrieve, list and update never do', async () => {
    const created = await t.stripe.webhookEndpoints.create({
      url: 'http://127.0.0.1:4242/webhook',
      enabled_events: ['identity.verification_session.verified', 'identity.verification_session.redacted'],
      description: 'idv',
    });
    expect(created).toMatchObject({
      object: 'webhook_endpoint',
      url: 'http://127.0.0.1:4242/webhook',
      enabled_events: ['identity.verification_session.verified', 'identity.verification_session.redacted'],
      status: 'enabled',
      description: 'idv',
      livemode: false,
    });
    expect(created.id).toMatch(/^we_/);
    expect(created.secret).toMatch(/^whsec_/);

    const retrieved = await t.stripe.webhookEndpoints.retrieve(created.id);
    expect(retrieved).not.toHaveProperty('secret');
    const listed = await t.stripe.webhookEndpoints.list();
    expect(listed.data.map((e) => e.id)).toEqual([created.id]);
    expect(listed.data[0]).not.toHaveProperty('secret');

    const updated = await t.stripe.webhookEndpoints.update(created.id, {
      disabled: true,
      enabled_events: ['*'],
      url: 'http://127.0.0.1:5000/hook',
    });
    expect(updated).toMatchObject({
      status: 'disabled',
      enabled_events: ['*'],
      url: 'http://127.0.0.1:5000/hook',
    });
    expect(updated).not.toHaveProperty('secret');
    expect((await t.stripe.webhookEndpoints.update(created.id, { disabled: false })).status).toBe('enabled');
  });

  it('delete answers {id, object, deleted: true} and the endpoint is gone', async () => {
    const created = await t.stripe.webhookEndpoints.create({
      url: 'http://127.0.0.1:4242/webhook',
      enabled_events: ['*'],
    });
    const deleted = await t.stripe.webhookEndpoints.del(created.id);
    expect({ ...deleted }).toEqual({ id: created.id, object: 'webhook_endpoint', deleted: true });
    await expect(t.stripe.webhookEndpoints.retrieve(created.id)).rejects.toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
  });

  it('refuses a missing url, an invalid url and empty events', async () => {
    await expect(t.stripe.webhookEndpoints.create({ enabled_events: ['*'] } as never)).rejects.toMatchObject({
      param: 'url',
    });
    await expect(
      t.stripe.webhookEndpoints.create({ url: 'not a url', enabled_events: ['*'] }),
    ).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    await expect(
      t.stripe.webhookEndpoints.create({ url: 'http://x.test/', enabled_events: [] }),
    ).rejects.toMatchObject({ param: 'enabled_events' });
  });
});
