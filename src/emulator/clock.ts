/**
 * The emulator's notion of "now". Every timestamp it writes (`created` on sessions and events, the `t=` of a
 * `Stripe-Signature`) comes from a Clock so tests can pin time instead of sleeping (STYLE.md: "a function
 * that needs the time takes a clock").
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Stripe timestamps are Unix seconds (reference §1 `created`, §4 `created`, §5.1 `t`). */
export function unixSeconds(clock: Clock): number {
  return Math.floor(clock.now() / 1000);
}
