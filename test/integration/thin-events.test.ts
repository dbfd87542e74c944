/**
 * Thin event notifications (reference §4.3: `object: "v2.core.event"`, a `related_object` instead of a
 * snapshot) and any event without `data.object` are answered 200 and stored as ignored with their
 * reason, on both stores: answered 400, Stripe would retry them for days.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceLegs } from '../helpers/service-legs.js';
import { WEBHOOK_SECRET, type TestService } from '../helpers/service.js';
import { postSigned, uniqueId } from '../helpers/stripe-events.js';

const LEGS = await serviceLegs();

/** The shape stripe-node 23 types as V1IdentityVerificationSessionVerifiedEventNotification. */
function thinNotification(sessionId: string) {
  return {
    id: uniqueId('evt'),
    object: 'v2.core.event',
    type: 'v1.identity.verification_session.verified',
    livemode: false,
    created: '2026-10-29T12:00:00.000Z',
    related_object: {
      id: sessionId,
      type: 'identity.verification_session',
      url: `/v1/identity/verification_sessions/${sessionId}`,
    },
  };
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

  it('answers 200 to a thin notification and stores it as ignored, thin_event, keyed to its session', async () => {
    const sessionId = uniqueId('vs');
    const event = thinNotification(sessionId);
    const res = await postSigned(service.url, event, WEBHOOK_SECRET);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true });
    expect(await service.store.getEvent(event.id)).toMatchObject({
      status: 'ignored',
      ignoredReason: 'thin_event',
      type: 'v1.identity.verification_session.verified',
      objectId: sessionId,
      created: Date.parse(event.created) / 1000,
    });
    // Stored once, like any event delivered twice.
    expect((await postSigned(service.url, event, WEBHOOK_SECRET)).status).toBe(200);
  });

  it('answers 200 to an event without data.object and stores it as ignored, thin_event', async () => {
    const event = {
      id: uniqueId('evt'),
      object: 'event',
      type: 'identity.verification_session.verified',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      data: {},
    };
    expect((await postSigned(service.url, event, WEBHOOK_SECRET)).status).toBe(200);
    expect(await service.store.getEvent(event.id)).toMatchObject({
      status: 'ignored',
      ignoredReason: 'thin_event',
    });
  });
});
