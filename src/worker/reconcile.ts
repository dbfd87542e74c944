/**
 * Recovery after downtime (reference §4.1, §6): Stripe retries for at most three days and never resends
 * events generated while an endpoint was disabled, so idv pulls the Identity events of a time window from
 * GET /v1/events into the inbox. The inbox dedupes on event id, so reconciling twice, or while Stripe is
 * still retrying, never applies anything twice.
 */
import type Stripe from 'stripe';
import { IDENTITY_EVENT_TYPES } from '../domain/terms.js';
import { classifyEvent, parseEnvelope } from '../stripe/envelope.js';
import type { AcceptedMode } from '../config/config.js';
import type { Inbox } from '../store/store.js';

export interface ReconcileProgress {
  fetched: number;
  inserted: number;
  /** `created` (Unix seconds) of the last event fetched: lists are newest first, so how far back it got. */
  reachedSec?: number;
}

/** The Identity events created since `sinceSec` (Unix seconds), newest first, auto-paginated. */
export function identityEventsSince(
  stripe: Stripe,
  sinceSec: number,
  deliverySuccess?: boolean,
): AsyncIterable<unknown> {
  return stripe.events.list({
    types: [...IDENTITY_EVENT_TYPES],
    created: { gte: sinceSec },
    ...(deliverySuccess === undefined ? {} : { delivery_success: deliverySuccess }),
    limit: 100,
  });
}

export async function reconcileEvents(options: {
  events: AsyncIterable<unknown>;
  store: Inbox;
  acceptedMode: AcceptedMode;
  clock?: () => number;
  /** Called after every event; a display decides how often to draw. */
  onProgress?: (progress: ReconcileProgress) => void;
  /** Checked between events: a service shutting down stops a long run early (the next run covers it). */
  shouldStop?: () => boolean;
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
    progress.reachedSec = envelope.created;
    options.onProgress?.(progress);
    if (options.shouldStop?.()) break;
  }
  return progress;
}
