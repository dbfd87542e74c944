/** Options of `startEmulator` and their defaults. */
import type { ChaosOptions } from './chaos.js';
import type { SessionOptions } from './model.js';

/** A Dashboard verification flow (`vf_…`): the checks a session created from it runs (reference §8). */
export interface VerificationFlow {
  options: SessionOptions;
}
import type { DeliveryAttempt } from './state.js';

export interface EmulatorOptions {
  /** Default 12111, stripe-mock's port (reference §9); 0 picks a free one. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Base of hosted-page URLs when the emulator sits behind a proxy; default `http://host:port`. */
  publicUrl?: string;
  chaos?: ChaosOptions;
  /** Wait before each retry of a failed delivery, in ms; its length is the number of retries. */
  deliveryRetrySchedule?: readonly number[];
  /** A delivery without an answer after this long has failed (Stripe's value is unpublished, §6). */
  deliveryTimeoutMs?: number;
  /** How long `redaction.status` stays `processing` (Stripe: up to four days, §2.2). */
  redactionDelayMs?: number;
  /** Verification flows by id, for `verification_flow` at create; default none. */
  verificationFlows?: Readonly<Record<string, VerificationFlow>>;
  /**
   * A JSON file that keeps the account (sessions, reports, events, endpoints) across restarts: read at
   * start when it exists, written after every request and at close. Default: memory only.
   */
  stateFile?: string;
  /** Milliseconds since the Unix epoch; default `Date.now`. */
  clock?: () => number;
  /** Called after every delivery attempt; the CLI logs them. */
  onDelivery?: (attempt: DeliveryAttempt) => void;
}

/**
 * Stripe retries with exponential backoff for days (live) or "3 times over a few hours" (test) without
 * publishing the intervals (reference §6, [unconfirmed]); the emulator keeps the shape and compresses it.
 */
export const DEFAULT_DELIVERY_RETRY_SCHEDULE_MS: readonly number[] = Object.freeze([
  1_000, 5_000, 30_000, 120_000, 600_000,
]);
export const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000;
export const DEFAULT_REDACTION_DELAY_MS = 1_000;
export const DEFAULT_PORT = 12111;
export const DEFAULT_HOST = '127.0.0.1';
