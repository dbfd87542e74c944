/**
 * Retention (README "Security and privacy"): every kind of record is deleted once it is older than its
 * configured number of days (config/retention.ts) and nobody needs it any more. Events default to 30 days —
 * Stripe itself keeps events 30 days and resends them for at most that long (reference §4.1, §6). Runs
 * hourly in the worker role, in small batches so it never holds the database for long.
 */
import type { Logger } from 'pino';
import type { RetentionSettings } from '../config/retention.js';
import type { Retention } from '../store/store.js';
import { PollingLoop } from './loop.js';

const BATCH = 1000;
const DAY_MS = 86_400_000;

type Purge = { name: string; days: number; run: (before: number) => Promise<number> };

export function startRetention(options: {
  store: Retention;
  retention: RetentionSettings;
  logger: Logger;
  clock?: () => number;
  intervalMs?: number;
}): { stop(): Promise<void> } | undefined {
  const { store, retention, logger } = options;
  const all: Purge[] = [
    { name: 'events', days: retention.eventsDays, run: (before) => store.purgeEvents(before, BATCH) },
    {
      name: 'reactions',
      days: retention.reactionsDays,
      run: (before) => store.purgeReactions(before, BATCH),
    },
    { name: 'subjects', days: retention.subjectsDays, run: (before) => store.purgeSubjects(before, BATCH) },
    { name: 'audit', days: retention.auditDays, run: (before) => store.purgeAudit(before, BATCH) },
  ];
  const purges = all.filter((p) => p.days > 0);
  if (purges.length === 0) return undefined;
  const clock = options.clock ?? Date.now;
  const loop = new PollingLoop({
    name: 'retention',
    pollIntervalMs: options.intervalMs ?? 3_600_000,
    batchSize: BATCH,
    logger,
    runBatch: async () => {
      let most = 0;
      for (const purge of purges) {
        const purged = await purge.run(clock() - purge.days * DAY_MS);
        if (purged > 0)
          logger.info({ purged, records: purge.name, retention_days: purge.days }, 'old records purged');
        most = Math.max(most, purged);
      }
      // A full batch of any kind means more is waiting: the loop goes again at once.
      return most;
    },
  });
  loop.start();
  return loop;
}
