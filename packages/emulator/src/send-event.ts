/**
 * Sends one Event to a URL the way Stripe does: pretty-printed JSON body, `Stripe-Signature` over exactly
 * those bytes with the current timestamp (reference §5.1), Stripe's delivery headers (§6). Used by
 * `idv trigger`; the emulator's deliverer does the same per attempt.
 */
import { signPayload } from '@idv-outcomes/stripe-identity/signature';
import { systemClock, unixSeconds } from './clock.js';
import { type PostResult, WEBHOOK_HEADERS, postWebhook } from './delivery-http.js';
import type { EventObject } from './model.js';

export interface SendEventInput {
  url: string;
  event: EventObject;
  secret: string;
  clock?: () => number;
  timeoutMs?: number;
}

export async function sendSignedEvent(input: SendEventInput): Promise<PostResult> {
  const body = JSON.stringify(input.event, null, 2);
  const signature = signPayload(body, input.secret, unixSeconds(input.clock ?? systemClock));
  return postWebhook(
    input.url,
    body,
    { ...WEBHOOK_HEADERS, 'Stripe-Signature': signature },
    input.timeoutMs ?? 10_000,
    new AbortController().signal,
  );
}
