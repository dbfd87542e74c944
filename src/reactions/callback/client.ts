/**
 * POSTs one signed callback. The signature uses Stripe's scheme (`t=<unix>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>">`, reference §5) so an application verifies it with the code it already has for Stripe;
 * it is computed per try, so a retry hours later still carries a fresh timestamp.
 *
 * Which answers are worth another try (like svix and Stripe do it): network errors, timeouts, 429, 5xx
 * and 3xx (redirects are not followed; a moved endpoint is a configuration error someone may fix).
 * Any other 4xx means the application refuses this body, and sending it again cannot help: dead at once,
 * with the answer kept for the operator.
 */
import { signPayload } from '../../stripe/signature.js';
import { headerSafeKey } from '../header-key.js';
import { dead, done, retry, type ReactionVerdict } from '../verdict.js';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface CallbackRequest {
  url: string;
  secret: string;
  body: string;
  idempotencyKey: string;
  nowSec: number;
  timeoutMs: number;
  fetch?: FetchLike | undefined;
}

const ANSWER_CHARS = 500;

export async function postCallback(request: CallbackRequest): Promise<ReactionVerdict> {
  const doFetch = request.fetch ?? fetch;
  let response: Response;
  let answer: string;
  try {
    response = await doFetch(request.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'idv-signature': signPayload(request.body, request.secret, request.nowSec),
        // The key holds the subject ref, which may be outside what a header can carry.
        'idempotency-key': headerSafeKey(request.idempotencyKey),
        'user-agent': 'idv-outcomes',
      },
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    answer = (await response.text()).slice(0, ANSWER_CHARS);
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError')
      return retry(`timeout after ${request.timeoutMs} ms`);
    return retry(`network error: ${e.cause?.code ?? e.message}`.slice(0, ANSWER_CHARS));
  }
  const detail = `HTTP ${response.status}${answer ? `: ${answer}` : ''}`;
  const status = response.status;
  if (status >= 200 && status < 300) return done(detail);
  if (status === 429 || status >= 500 || status < 400) return retry(detail);
  return dead(detail);
}
