/**
 * Recovery after downtime (reference §4.1, §6): Stripe retries for at most three days and never resends
 * events generated while an endpoint was disabled, so idv pulls the Identity events of a time window from
 * GET /v1/events into the inbox. The inbox dedupes on event id, so reconciling twice, or while Stripe is
 * still retrying, never applies anything twice.
 */
import { classifyEvent, parseEnvelope } from '../stripe/envelope.js';
import type { AcceptedMode } from '../config/config.js';
import type { Inbox } from '../store/store.js';

export interface ReconcileProgress {
  fetched: number;
  inserted: number;
}

export async function reconcileEvents(options: {
  events: AsyncIterable<unknown>;
  store: Inbox;
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
