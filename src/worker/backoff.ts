/** Exponential backoff with "equal jitter": half the delay fixed, half random, so retries do not stampede. */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + (random() * exp) / 2);
}

/** A delay from a fixed schedule (index = attempt - 1) with ±10% jitter; null once the schedule is used up. */
export function scheduledDelay(
  attempt: number,
  schedule: readonly number[],
  random: () => number = Math.random,
): number | null {
  const base = schedule[attempt - 1];
  if (base === undefined) return null;
  return Math.round(base * (0.9 + random() * 0.2));
}
