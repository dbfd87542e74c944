/**
 * Stripe webhook signatures (reference/stripe-identity-facts.md §5).
 *
 * `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…][,v0=…]`; the signed material is `<t>.<raw body>` and the
 * key is the whole `whsec_…` string. Only `t` and `v1` are read (v0 is a test-mode decoy, and accepting other
 * schemes would allow a downgrade). During a secret rotation Stripe sends one `v1` per active secret and we may
 * hold several secrets, so any (secret, v1) pair may match.
 *
 * Unlike stripe-node's constructEvent this hashes the raw bytes without decoding them, never throws anything but
 * SignatureError (stripe-node throws plain Error for an empty `v1=` and SyntaxError for bad JSON, §5.2), and
 * also rejects timestamps further than the tolerance in the future: a signature from the future is a replay
 * risk or a broken clock, and both deserve a 400 with a reason in the log.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureFailure =
  | 'header_missing'
  | 'header_malformed'
  | 'no_v1_signature'
  | 'no_matching_signature'
  | 'timestamp_too_old'
  | 'timestamp_in_future';

export class SignatureError extends Error {
  readonly code = 'signature_invalid' as const;
  constructor(readonly reason: SignatureFailure) {
    super(`Stripe-Signature check failed: ${reason.replaceAll('_', ' ')}`);
    this.name = 'SignatureError';
  }
}

export interface VerifyOptions {
  rawBody: Uint8Array;
  header: string | string[] | undefined;
  secrets: readonly string[];
  /** Seconds; 0 or less disables the recency check (never do that in production). */
  toleranceSec: number;
  nowSec: number;
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

export function verifyStripeSignature(opts: VerifyOptions): { timestamp: number } {
  const { timestamp, candidates } = parseHeader(opts.header);
  const matched = opts.secrets.some((secret) => {
    const expected = hmac(secret, timestamp, opts.rawBody);
    return candidates.some((candidate) => timingSafeEqual(candidate, expected));
  });
  if (!matched) throw new SignatureError('no_matching_signature');

  const t = Number(timestamp);
  if (opts.toleranceSec > 0) {
    const age = opts.nowSec - t;
    if (age > opts.toleranceSec) throw new SignatureError('timestamp_too_old');
    if (-age > opts.toleranceSec) throw new SignatureError('timestamp_in_future');
  }
  return { timestamp: t };
}

/**
 * What is wrong with the header whatever the body, or null: the receiver answers these before reading the
 * body, since no body could make them pass.
 */
export function signatureHeaderProblem(header: string | string[] | undefined): SignatureFailure | null {
  try {
    parseHeader(header);
    return null;
  } catch (err) {
    if (err instanceof SignatureError) return err.reason;
    throw err;
  }
}

function parseHeader(header: string | string[] | undefined): { timestamp: string; candidates: Buffer[] } {
  if (header === undefined || header === '') throw new SignatureError('header_missing');
  if (typeof header !== 'string') throw new SignatureError('header_malformed');

  let timestamp: string | undefined;
  const candidates: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') timestamp = value;
    // Stripe emits lowercase hex; anything else cannot be one of its signatures.
    else if (key === 'v1' && HEX_SHA256.test(value)) candidates.push(Buffer.from(value, 'hex'));
  }
  if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) throw new SignatureError('header_malformed');
  if (candidates.length === 0) throw new SignatureError('no_v1_signature');
  return { timestamp, candidates };
}

/** The header Stripe would send for `payload`; used by the emulator, `idv trigger` and the callback signer. */
export function signPayload(payload: string | Uint8Array, secret: string, timestampSec: number): string {
  return `t=${timestampSec},v1=${hmac(secret, String(timestampSec), payload).toString('hex')}`;
}

function hmac(secret: string, timestamp: string, body: string | Uint8Array): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(body).digest();
}
