/** Runs each example app as a user would: start it, post a Stripe-signed event, see its handler called. */
import { join } from 'node:path';
import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import { startExpressExample } from '../../examples/express-app.js';
import { startFastifyExample } from '../../examples/fastify-app.js';
import type { OutcomeEvent } from '../../src/index.js';
import { sessionEvent, uniqueId } from '../helpers/stripe-events.js';
import { tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';

const SECRET = 'whsec_example_app_secret_01';
const stripe = new Stripe('sk_test_examples', { telemetry: false });
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function postStripeEvent(url: string, event: unknown): Promise<Response> {
  const payload = JSON.stringify(event);
  const header = stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
  return fetch(`${url}/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': header },
    body: payload,
  });
}

describe.each([
  ['fastify', startFastifyExample],
  ['express', startExpressExample],
] as const)('examples/%s-app.ts', (_name, start) => {
  it('receives a signed event and calls the handler once', async () => {
    const temp = tempDir();
    cleanups.push(() => temp.cleanup());
    const calls: [string, OutcomeEvent][] = [];
    const example = await start({
      webhookSecret: SECRET,
      database: `sqlite:${join(temp.dir, 'app.db')}`,
      port: 0,
      onOutcome: (handler, event) => calls.push([handler, event]),
    });
    cleanups.push(() => example.close());

    const ref = uniqueId('user');
    const event = sessionEvent({
      type: 'identity.verification_session.requires_input',
      subject: ref,
      sessionId: uniqueId('vs'),
      code: 'document_expired',
      reason: 'The document is expired.',
    });
    expect((await postStripeEvent(example.url, event)).status).toBe(200);
    expect((await postStripeEvent(example.url, event)).status).toBe(200);
    const [handler, payload] = await waitFor(() => calls[0]);
    expect(handler).toBe('onRetryRequired');
    expect(payload).toMatchObject({
      type: 'verification.retry_required',
      subject: { ref, state: 'retry_required' },
      last_error: { code: 'document_expired', reason: 'The document is expired.' },
      idempotencyKey: expect.stringContaining(ref),
    });
    expect(example.users.get(ref)).toBe('retry: The document is expired.');

    const state = (await (await fetch(`${example.url}/users/${ref}/verification`)).json()) as {
      state: string;
    };
    expect(state.state).toBe('retry_required');
    // Counted once nothing is due: the repeat was applied and any reaction it planned has run.
    await example.whenIdle();
    expect(calls).toHaveLength(1);

    const forged = await fetch(`${example.url}/webhook`, {
      method: 'POST',
      headers: { 'stripe-signature': 't=1,v1=00' },
      body: JSON.stringify(event),
    });
    expect(forged.status).toBe(400);
  });
});
