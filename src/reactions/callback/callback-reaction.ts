/** The `callback` reaction: the outbox row → a signed POST to `IDV_CALLBACK_URL`. */
import type { ReactionRunner } from '../verdict.js';
import { postCallback, type FetchLike } from './client.js';
import { buildCallbackPayload } from './payload.js';

export interface CallbackRunnerOptions {
  url: string;
  secret: string;
  timeoutMs: number;
  fetch?: FetchLike | undefined;
  clock?: () => number;
}

export function createCallbackRunner(options: CallbackRunnerOptions): ReactionRunner {
  const clock = options.clock ?? Date.now;
  return async (row) =>
    postCallback({
      url: options.url,
      secret: options.secret,
      body: JSON.stringify(buildCallbackPayload(row)),
      idempotencyKey: row.idempotencyKey,
      nowSec: Math.floor(clock() / 1000),
      timeoutMs: options.timeoutMs,
      fetch: options.fetch,
    });
}
