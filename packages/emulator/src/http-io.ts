/**
 * The wire edge of the emulator API: body reading, API-key checks and Stripe-shaped answers.
 *
 * - `Authorization: Bearer sk_test_…|rk_test_…` (also HTTP Basic with the key as user, as curl users
 *   send); anything else is 401 (stripe-node: StripeAuthenticationError, reference §9). An `rk_` key is
 *   what unlocks the sensitive verified outputs (§1).
 * - Every answer carries `request-id: req_…`, which stripe-node exposes as `requestId` (§9), and
 *   `stripe-version`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './api-error.js';
import type { KeyKind } from './session-render.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError(413, 'invalid_request_error', 'Request body too large.'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const KEY_PATTERN = /^(sk|rk)_test_[A-Za-z0-9_]+$/;

export function authenticate(header: string | undefined): KeyKind {
  const key = extractKey(header);
  if (key === undefined) {
    throw new ApiError(
      401,
      'invalid_request_error',
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    );
  }
  const match = KEY_PATTERN.exec(key);
  if (!match) {
    throw new ApiError(
      401,
      'invalid_request_error',
      `Invalid API Key provided: ${maskKey(key)}`,
      'api_key_invalid',
    );
  }
  return match[1] === 'rk' ? 'restricted' : 'secret';
}

function extractKey(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, value] = header.split(' ', 2);
  if (!value) return undefined;
  if (scheme?.toLowerCase() === 'bearer') return value.trim();
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    return decoded.split(':')[0] || undefined;
  }
  return undefined;
}

/** Stripe shows the prefix and last four characters only. */
function maskKey(key: string): string {
  return key.length <= 12
    ? '*'.repeat(key.length)
    : `${key.slice(0, 8)}${'*'.repeat(key.length - 12)}${key.slice(-4)}`;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendHtml(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}
