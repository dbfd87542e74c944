/**
 * Keys that travel in an HTTP header (`Idempotency-Key` to Stripe and to the application's callback
 * URL) are built from subject refs, which may be any printable Unicode; a header value must be Latin-1,
 * and Stripe takes at most 255 characters. A key that is printable ASCII (without space and `%`) and
 * short enough is sent as it is, so existing keys do not change; any other is percent-encoded (UTF-8),
 * or replaced by its SHA-256 when even that is too long. The three forms cannot collide: only encoded
 * keys hold `%`, and a hashed key starts with `%s`, which percent-encoding never produces.
 */
import { createHash } from 'node:crypto';

export const MAX_HEADER_KEY_LENGTH = 255;

const PLAIN = /^[\x21-\x24\x26-\x7e]+$/;

export function headerSafeKey(key: string): string {
  if (key.length <= MAX_HEADER_KEY_LENGTH && PLAIN.test(key)) return key;
  let encoded: string | undefined;
  try {
    encoded = encodeURIComponent(key);
  } catch {
    // A lone surrogate cannot be encoded as UTF-8; the hash below still tells such keys apart.
  }
  if (encoded !== undefined && encoded.length <= MAX_HEADER_KEY_LENGTH) return encoded;
  return `%sha256:${createHash('sha256').update(key, 'utf16le').digest('hex')}`;
}
