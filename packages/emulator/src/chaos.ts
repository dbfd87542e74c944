/**
 * Chaos for webhook delivery: the failure modes Stripe documents and a receiver must survive (reference
 * §6): the same event more than once ("might occasionally receive the same event more than once"), out of
 * order ("doesn't guarantee the delivery of events in the order that they're generated"), and late.
 */
export interface ChaosOptions {
  /** Probability (0–1) that a delivery is sent a second time; `true` = 0.3. */
  duplicate?: boolean | number;
  /** Probability (0–1) that a delivery is held back so later events overtake it; `true` = 0.3. */
  reorder?: boolean | number;
  /** Maximum random latency in ms added before each send; `true` = 250. */
  delay?: boolean | number;
  /** How long (max, ms) a reordered delivery is held back; default 1000. */
  reorderHoldMs?: number;
  /** Random source in [0, 1), for reproducible tests. */
  random?: () => number;
}

export interface Chaos {
  duplicate(): boolean;
  reorderHoldMs(): number;
  delayMs(): number;
}

export const NO_CHAOS: Chaos = { duplicate: () => false, reorderHoldMs: () => 0, delayMs: () => 0 };

export function createChaos(options: ChaosOptions | undefined): Chaos {
  if (!options) return NO_CHAOS;
  const random = options.random ?? Math.random;
  const duplicateP = probability(options.duplicate, 0.3);
  const reorderP = probability(options.reorder, 0.3);
  const maxDelay = options.delay === true ? 250 : typeof options.delay === 'number' ? options.delay : 0;
  const maxHold = options.reorderHoldMs ?? 1000;
  return {
    duplicate: () => duplicateP > 0 && random() < duplicateP,
    // A held delivery waits at least a quarter of the max, so it is actually overtaken.
    reorderHoldMs: () =>
      reorderP > 0 && random() < reorderP ? Math.round(maxHold * (0.25 + 0.75 * random())) : 0,
    delayMs: () => (maxDelay > 0 ? Math.round(maxDelay * random()) : 0),
  };
}

function probability(value: boolean | number | undefined, whenTrue: number): number {
  if (value === true) return whenTrue;
  if (typeof value === 'number') return Math.min(1, Math.max(0, value));
  return 0;
}

/** `--chaos duplicate,reorder,delay` → options. */
export function parseChaosList(list: string): ChaosOptions {
  const options: ChaosOptions = {};
  for (const raw of list.split(',')) {
    const name = raw.trim();
    if (name === '') continue;
    if (name === 'duplicate' || name === 'reorder' || name === 'delay') options[name] = true;
    else throw new Error(`--chaos: unknown mode "${name}" (expected duplicate, reorder, delay)`);
  }
  return options;
}
