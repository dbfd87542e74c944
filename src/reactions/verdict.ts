/**
 * What running one outbox row (a reaction) came to. The dispatcher turns a verdict into a store result:
 * `retry` is retried on the schedule until it is used up, `dead` stops at once (e.g. a callback answered
 * 400: sending the same body again cannot help), `skipped` is final and carries the reason.
 *
 * `detail` is kept on the row for operators and may be logged, so it never carries personal data: ids,
 * HTTP statuses and the application's own answer only, never an email address.
 */
import type { OutboxRecord } from '../store/records.js';

export type ReactionVerdict =
  | { readonly outcome: 'done'; readonly detail: string | null }
  | { readonly outcome: 'skipped'; readonly detail: string }
  | { readonly outcome: 'retry'; readonly detail: string }
  | { readonly outcome: 'dead'; readonly detail: string };

/** Runs one claimed outbox row. Throwing is the same as `retry` with the error's message. */
export type ReactionRunner = (row: OutboxRecord) => Promise<ReactionVerdict>;

export const done = (detail: string | null = null): ReactionVerdict => ({ outcome: 'done', detail });
export const skipped = (detail: string): ReactionVerdict => ({ outcome: 'skipped', detail });
export const retry = (detail: string): ReactionVerdict => ({ outcome: 'retry', detail });
export const dead = (detail: string): ReactionVerdict => ({ outcome: 'dead', detail });

/** A runner for a kind whose adapter is not configured: every row is skipped with `reason`. */
export function skipAll(reason: string): ReactionRunner {
  return async () => skipped(reason);
}
