/**
 * The emulator delivering to the real service: with `--chaos duplicate,reorder` the service must end in
 * exactly the states it reaches with orderly delivery.
 */
import { expect, it } from 'vitest';
import { IDENTITY_EVENT_TYPES } from '../../src/domain/terms.js';
import { startEmulator, type ChaosOptions } from '@idv-outcomes/emulator';
import { createStripeClient } from '../../src/stripe/client.js';
import { startTestService } from '../helpers/service.js';
import { waitFor } from '../helpers/wait.js';

/** Each user's submissions, in order: a failure code, or 'verify'. */
function plan(i: number): string[] {
  const plans = [
    ['verify'],
    ['document_expired'],
    ['document_expired', 'verify'],
    ['selfie_face_mismatch', 'document_unverified_other', 'document_expired'],
    ['selfie_manipulated'],
    ['under_supported_age'],
    ['consent_declined'],
    ['document_unverified_other', 'verify', 'document_expired'],
  ];
  return plans[i % plans.length]!;
}

async function finalStates(
  chaos: ChaosOptions | undefined,
): Promise<{ states: Record<string, string>; deliveries: number; events: number }> {
  const emulator = await startEmulator({
    port: 0,
    ...(chaos ? { chaos } : {}),
    deliveryRetrySchedule: [50, 100, 200],
  });
  let deliveries = 0;
  emulator.onDelivery(() => deliveries++);
  const stripe = createStripeClient({
    secretKey: 'sk_test_chaos',
    apiBase: emulator.url,
    maxNetworkRetries: 0,
  });
  const endpoint = await stripe.webhookEndpoints.create({
    url: 'http://127.0.0.1:9/not-yet',
    enabled_events: [...IDENTITY_EVENT_TYPES],
  });
  const service = await startTestService({ STRIPE_WEBHOOK_SECRET: endpoint.secret! });
  try {
    await stripe.webhookEndpoints.update(endpoint.id, { url: `${service.url}/webhook` });
    const users = Array.from({ length: 24 }, (_, i) => `chaos_user_${i}`);
    await Promise.all(
      users.map(async (ref, i) => {
        const session = await stripe.identity.verificationSessions.create({
          type: 'document',
          metadata: { user_id: ref },
        });
        for (const step of plan(i)) {
          const path = `/v1/test_helpers/identity/verification_sessions/${session.id}`;
          if (step === 'verify') await stripe.rawRequest('POST', `${path}/verify`, {});
          else await stripe.rawRequest('POST', `${path}/require_input`, { last_error: { code: step } });
        }
      }),
    );
    await emulator.idle();
    await waitFor(async () =>
      (await service.store.listEvents({ status: 'pending', limit: 1 })).data.length === 0 ? true : undefined,
    );
    const states: Record<string, string> = {};
    for (const ref of users)
      states[ref] = (await service.store.getSubject(ref))?.subject.view.state ?? 'missing';
    const events = (await service.store.listEvents({ limit: 100 })).data.length;
    return { states, deliveries, events };
  } finally {
    await service.stop();
    await emulator.close();
  }
}

it('a receiver under duplicate and reorder chaos ends in the same states as with orderly delivery', async () => {
  const orderly = await finalStates(undefined);
  expect(new Set(Object.values(orderly.states))).toEqual(
    new Set(['verified', 'retry_required', 'in_review', 'rejected']),
  );
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const chaotic = await finalStates({ duplicate: 0.4, reorder: 0.4, reorderHoldMs: 300, random });
  expect(chaotic.deliveries).toBeGreaterThan(chaotic.events); // duplicates really happened
  expect(chaotic.states).toEqual(orderly.states);
}, 60_000);
