/**
 * Scheduled reconcile (`IDV_RECONCILE_EVERY`, README "Catching up"): the worker role pulls the Identity
 * events of the last window from GET /v1/events into the inbox, so an event whose delivery was missed heals
 * without an operator. The window is twice the interval (at least interval + 5 minutes): a run that failed
 * or started late is covered by the next one, and events Stripe created just before a run are not lost to
 * clock skew. It never reaches past the 30 days Stripe keeps events. Runs never overlap: the next one is
 * scheduled only once the last has ended.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { MAX_SINCE_SEC } from '../config/operations.js';
import type { Inbox } from '../store/store.js';
import { createStripeClient } from '../stripe/client.js';
import { identityEventsSince, reconcileEvents } from './reconcile.js';

const MIN_MARGIN_SEC = 300;

export interface ReconcileSchedule {
  stop(): Promise<void>;
}

/** How far back one run looks, in seconds. */
export function reconcileWindowSec(everySec: number): number {
  return Math.min(MAX_SINCE_SEC, everySec + Math.max(everySec, MIN_MARGIN_SEC));
}

/** Starts the schedule when the config has one (and a key); the first run is one interval after start. */
export function startReconcileSchedule(options: {
  config: Pick<Config, 'reconcileEverySec' | 'stripeSecretKey' | 'stripeApiBase' | 'acceptedMode'>;
  store: Inbox;
  logger: Logger;
  clock?: () => number;
  /** Woken when a run put new events in the inbox. */
  worker?: { nudge(): void };
}): ReconcileSchedule | undefined {
  const { config, store, logger } = options;
  const everySec = config.reconcileEverySec;
  if (everySec === undefined || !config.stripeSecretKey) return undefined;
  const clock = options.clock ?? Date.now;
  const stripe = createStripeClient({ secretKey: config.stripeSecretKey, apiBase: config.stripeApiBase });
  const windowSec = reconcileWindowSec(everySec);
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const runOnce = async () => {
    const startedAt = clock();
    const since = Math.floor(startedAt / 1000) - windowSec;
    try {
      const result = await reconcileEvents({
        events: identityEventsSince(stripe, since),
        store,
        acceptedMode: config.acceptedMode,
        clock,
        shouldStop: () => stopping,
      });
      logger.info(
        {
          fetched: result.fetched,
          new: result.inserted,
          window_sec: windowSec,
          duration_ms: clock() - startedAt,
        },
        'reconcile run',
      );
      if (result.inserted > 0) options.worker?.nudge();
    } catch (err) {
      // The next run covers this window too; one failure is a warning, not a crash.
      logger.warn({ err: { message: (err as Error).message } }, 'reconcile run failed');
    }
  };
  const schedule = () => {
    timer = setTimeout(() => {
      timer = undefined;
      running = runOnce().finally(() => {
        running = undefined;
        if (!stopping) schedule();
      });
    }, everySec * 1000);
  };
  logger.info({ every_sec: everySec, window_sec: windowSec }, 'reconcile scheduled');
  schedule();
  return {
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
