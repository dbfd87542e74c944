/**
 * `IDV_RECONCILE_EVERY`: how often the worker role pulls missed Identity events from Stripe (README
 * "Catching up"). Unset = never. It needs the Stripe API key, so a schedule without one refuses to start
 * instead of failing every run.
 */
import type { EnvSpec } from './flags.js';
import { parseDuration } from './operations.js';
import type { Reader } from './reader.js';

export const RECONCILE_EVERY_VARIABLE: EnvSpec = {
  name: 'IDV_RECONCILE_EVERY',
  description:
    'the worker reconciles with GET /v1/events this often: 15m, 1h, 30s (needs STRIPE_SECRET_KEY; unset: off)',
};

/** A day: a longer interval would leave most of Stripe's 30-day window unchecked between runs. */
const MAX_EVERY_SEC = 86_400;

/** The interval in seconds, or undefined when no schedule is configured. */
export function readReconcileEvery(read: Reader, stripeSecretKey: string | undefined): number | undefined {
  const name = RECONCILE_EVERY_VARIABLE.name;
  const value = read.string(name);
  if (value === undefined) return undefined;
  const seconds = parseDuration(value);
  if (seconds === undefined || seconds < 1 || seconds > MAX_EVERY_SEC) {
    read.problem(name, `expected a duration from 1s to 24h such as 15m or 1h, got "${value.slice(0, 20)}"`);
    return undefined;
  }
  if (stripeSecretKey === undefined)
    read.problem(name, 'needs STRIPE_SECRET_KEY (sk_… or rk_… with Events: Read) to list events');
  return seconds;
}
