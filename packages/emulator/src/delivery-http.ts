/**
 * One webhook POST. Uses node:http(s) with a fresh connection per attempt (`agent: false`) so a receiver
 * that closes can shut down without waiting for idle keep-alive sockets, and so an abort on close() leaves
 * nothing behind. Stripe ignores the response body (reference §6); the first few KiB are kept for
 * `idv trigger`, which prints it.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface PostResult {
  status: number | null;
  error: string | null;
  body: string;
}

const MAX_KEPT_BODY = 8 * 1024;

/** Headers seen on real deliveries (reference §6 "Request headers seen on real deliveries"). */
export const WEBHOOK_HEADERS = Object.freeze({
  'Content-Type': 'application/json; charset=utf-8',
  'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
  Accept: '*/*; q=0.5, application/xml',
  'Cache-Control': 'no-cache',
});

export function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<PostResult> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve({ status: null, error: `invalid URL ${url}`, body: '' });
      return;
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const payload = Buffer.from(body, 'utf8');
    const req = send(
      target,
      {
        method: 'POST',
        agent: false,
        signal,
        headers: { ...headers, 'Content-Length': String(payload.length) },
      },
      (res) => {
        let kept = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (kept.length < MAX_KEPT_BODY) kept += chunk.slice(0, MAX_KEPT_BODY - kept.length);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? null, error: null, body: kept }));
        res.on('error', (err) => resolve({ status: res.statusCode ?? null, error: err.message, body: kept }));
      },
    );
    // Stripe counts "took too long to respond" as a failure (§6); the emulator's limit is configurable.
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', (err) => resolve({ status: null, error: err.message, body: '' }));
    req.end(payload);
  });
}
