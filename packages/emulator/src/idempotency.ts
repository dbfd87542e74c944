/**
 * `Idempotency-Key` on POST (reference §8, §9): stripe-node adds `stripe-node-retry-<uuid>` to every v1
 * POST and reuses it on retries, and Stripe recommends an explicit key on session create. The same key with
 * the same request replays the first answer (with `Idempotent-Replayed: true`); with a different path or
 * body it is a 400 `idempotency_error` (stripe-node: StripeIdempotencyError). Only successful answers are
 * kept, so a request that failed validation may be corrected and retried under the same key.
 */
import { ApiError } from './api-error.js';

export interface StoredReply {
  status: number;
  body: unknown;
}

interface Entry {
  fingerprint: string;
  reply: StoredReply;
}

export class IdempotencyCache {
  private readonly entries = new Map<string, Entry>();

  /** The stored reply for this key, or undefined when the request should run. */
  lookup(key: string, method: string, path: string, rawBody: string): StoredReply | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.fingerprint !== fingerprint(method, path, rawBody)) {
      throw new ApiError(
        400,
        'idempotency_error',
        `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    return entry.reply;
  }

  remember(key: string, method: string, path: string, rawBody: string, reply: StoredReply): void {
    this.entries.set(key, { fingerprint: fingerprint(method, path, rawBody), reply: structuredClone(reply) });
  }
}

function fingerprint(method: string, path: string, rawBody: string): string {
  return `${method} ${path}\n${rawBody}`;
}
