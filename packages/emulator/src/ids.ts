/**
 * Object ids and secrets shaped like Stripe's: `vs_…`, `vr_…`, `evt_…`, `we_…`, `req_…`, `whsec_…` and
 * `vs_…_secret_…` (reference §1, §4, §7). Consumers only ever rely on the prefix, so the rest is random
 * base62 of Stripe-like length.
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function randomBase62(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  // 62 does not divide 256, so the distribution is very slightly uneven; irrelevant for fake ids.
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return out;
}

export type IdPrefix = 'vs' | 'vr' | 'evt' | 'we' | 'req';

/** `vs_1…` ids look like live Stripe ones (a leading `1` and 24 characters) so length checks downstream hold. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_1${randomBase62(23)}`;
}

export function newRequestId(): string {
  return `req_${randomBase62(14)}`;
}

export function newWebhookSecret(): string {
  return `whsec_${randomBase62(32)}`;
}

/** `client_secret` is `<vs id>_secret_<random>` (reference §1). */
export function newClientSecret(sessionId: string): string {
  return `${sessionId}_secret_${randomBase62(24)}`;
}
