/**
 * The emulator's notion of "now". Every timestamp it writes (`created` on sessions and events, the `t=` of a
 * `Stripe-Signature`) comes from a clock so tests can pin time instead of sleeping (STYLE.md: "a function
 * that needs the time takes a clock"). A clock is `() => number`, milliseconds since the Unix epoch: the same
 * shape idv-outcomes' own code takes, so one function serves both.
 */
export const systemClock = (): number => Date.now();

/** Stripe timestamps are Unix seconds (reference §1 `created`, §4 `created`, §5.1 `t`). */
export function unixSeconds(clock: () => number): number {
  return Math.floor(clock() / 1000);
}
