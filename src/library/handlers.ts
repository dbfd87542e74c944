/**
 * Library mode's replacement for HTTP callbacks: the dispatcher calls the application's handler for each
 * `callback` outbox row, with the same guarantees as a callback — at least once, in a row of its own,
 * retried on the schedule while the handler throws, dead (and replayable) after that. The payload is the
 * callback body plus the row's `idempotencyKey`, which the handler uses to ignore a repeat.
 */
import type { CallbackType } from '../domain/index.js';
import { buildCallbackPayload, type CallbackPayload } from '../reactions/callback/payload.js';
import { done, retry, skipped, type ReactionRunner } from '../reactions/verdict.js';

export interface OutcomeEvent extends CallbackPayload {
  /** Stable across retries of the same outcome: store it, and skip a payload whose key you have seen. */
  idempotencyKey: string;
}

export type OutcomeHandler = (event: OutcomeEvent) => unknown;

export interface OutcomeHandlers {
  onVerified?: OutcomeHandler;
  onRetryRequired?: OutcomeHandler;
  onNeedsReview?: OutcomeHandler;
  onRejected?: OutcomeHandler;
  onCanceled?: OutcomeHandler;
  onRedacted?: OutcomeHandler;
}

export const HANDLER_FOR_TYPE: Readonly<Record<CallbackType, keyof OutcomeHandlers>> = Object.freeze({
  'verification.verified': 'onVerified',
  'verification.retry_required': 'onRetryRequired',
  'verification.needs_review': 'onNeedsReview',
  'verification.rejected': 'onRejected',
  'verification.canceled': 'onCanceled',
  'verification.redacted': 'onRedacted',
});

export function createHandlerRunner(handlers: OutcomeHandlers): ReactionRunner {
  return async (row) => {
    const name = HANDLER_FOR_TYPE[row.topic as CallbackType] as keyof OutcomeHandlers | undefined;
    if (name === undefined) return skipped(`unknown_callback_type:${row.topic}`);
    const handler = handlers[name];
    if (!handler) return skipped(`no_handler:${name}`);
    try {
      await handler({ ...buildCallbackPayload(row), idempotencyKey: row.idempotencyKey });
    } catch (err) {
      return retry(`${name} threw: ${(err as Error)?.message ?? String(err)}`.slice(0, 500));
    }
    return done(name);
  };
}
