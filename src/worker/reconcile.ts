/**
 * Recovery after downtime (reference §4.1, §6): Stripe retries for at most three days and never resends
 * events generated while an endpoint was disabled, so idv pulls the Identity events of a time window from
 * GET /v1/events into the inbox. The inbox dedupes on event id, so reconciling twice, or while Stripe is
 * still retrying, never applies anything twice.
 */
import { classifyEvent, parseEnvelope } from '../stripe/envelope.js';
import type { AcceptedMode } from '../config/config.js';
import type { Store } from '../store/store.js';

export interface ReconcileProgress {
  fetched: number;
  inserted: number;
}

export async function reconcileEvents(options: {
  events: AsyncIterable<unknown>;
  store: Pick<Store, 'insertEvent'>;
  acceptedMode: AcceptedMode;
  clock?: () => number;
  onProgress?: (progress: ReconcileProgress) => void;
}): Promise<ReconcileProgress> {
  const clock = options.clock ?? Date.now;
  const progress: ReconcileProgress = { fetched: 0, inserted: 0 };
  for await (const event of options.events) {
    const envelope = parseEnvelope(Buffer.from(JSON.stringify(event)));
    const { status, ignoredReason } = classifyEvent(envelope, options.acceptedMode);
    const { unprocessable: _unprocessable, ...columns } = envelope;
    const { inserted } = await options.store.insertEvent({
      ...columns,
      status,
      ignoredReason,
      receivedAt: clock(),
    });
    progress.fetched += 1;
    if (inserted) progress.inserted += 1;
    if (progress.fetched % 100 === 0) options.onProgress?.(progress);
  }
  return progress;
}

/** Parses `72h`, `30m`, `7d` (or plain seconds) into seconds; Stripe keeps events for 30 days. */
export function parseSince(value: string): number {
  const match = /^(\d+)\s*([smhd]?)$/.exec(value.trim());
  if (!match) throw new Error(`--since: expected a duration like 72h, 30m or 7d, got "${value}"`);
  const seconds = Number(match[1]) * ({ s: 1, m: 60, h: 3600, d: 86_400, '': 1 } as const)[match[2] as 's'];
  if (seconds > 30 * 86_400)
    throw new Error('--since: Stripe keeps events for 30 days at most; use 30d or less');
  return seconds;
}
