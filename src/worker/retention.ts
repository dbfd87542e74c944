/**
 * Retention (DESIGN.md "Privacy"): processed and ignored events are deleted once they are older than the
 * configured number of days (default 30 — Stripe itself keeps events 30 days and resends them for at most
 * that long, reference §4.1, §6). Runs hourly in the worker role, in small batches so it never holds the
 * database for long. Subjects, history and the outbox (whose idempotency keys stop repeats) are kept.
 */
import type { Logger } from 'pino';
import type { Retention } from '../store/store.js';
import { PollingLoop } from './loop.js';

const BATCH = 1000;
const DAY_MS = 86_400_000;

export function startRetention(options: {
  store: Retention;
  retentionDays: number;
  logger: Logger;
  clock?: () => number;
  intervalMs?: number;
}): { stop(): Promise<void> } | undefined {
  if (options.retentionDays <= 0) return undefined;
  const clock = options.clock ?? Date.now;
  const loop = new PollingLoop({
    name: 'retention',
    pollIntervalMs: options.intervalMs ?? 3_600_000,
    batchSize: BATCH,
    logger: options.logger,
    runBatch: async () => {
      const purged = await options.store.purgeEvents(clock() - options.retentionDays * DAY_MS, BATCH);
      if (purged > 0)
        options.logger.info({ purged, retention_days: options.retentionDays }, 'old events purged');
      return purged;
    },
  });
  loop.start();
  return loop;
}
