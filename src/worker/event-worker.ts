/**
 * The event worker: claims due inbox events with a lease, applies each in one store transaction, and on
 * failure retries with exponential backoff until the event is dead (visible in the admin API, replayable).
 * Leases of crashed workers expire and their events are claimed again.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { parseSessionEvent, type Policy } from '../domain/index.js';
import type { ClaimedEvent, EventApplier, EventToApply } from '../store/store.js';
import { backoffDelay } from './backoff.js';
import { PollingLoop } from './loop.js';
import { eventApplication } from '../outcomes/apply-event.js';

export interface EventWorkerOptions {
  store: EventApplier;
  policy: Policy;
  logger: Logger;
  clock?: () => number;
  pollIntervalMs: number;
  leaseMs: number;
  batchSize: number;
  maxEventAttempts: number;
  /** A Stripe key is configured: verified sessions with expected data get their outputs compared. */
  compareOutputs?: boolean;
  /** Called after each event is applied (metrics, tests). */
  /** `startedAt`: when the batch that applied it began (traces). */
  onProcessed?: (event: ClaimedEvent, startedAt: number) => void;
}

/** start(), wake() and stop() come from PollingLoop. */
export class EventWorker extends PollingLoop {
  readonly owner = `worker-${randomUUID()}`;
  private readonly clock: () => number;

  constructor(private readonly options: EventWorkerOptions) {
    super({
      name: 'events',
      pollIntervalMs: options.pollIntervalMs,
      batchSize: options.batchSize,
      logger: options.logger,
      runBatch: () => this.runOnce(),
    });
    this.clock = options.clock ?? Date.now;
  }

  /** Claims and processes one batch; returns the number of events claimed. */
  async runOnce(): Promise<number> {
    const { store, batchSize, leaseMs } = this.options;
    const now = this.clock();
    const results = await store.processDueEvents(
      { owner: this.owner, limit: batchSize, leaseMs, now },
      (event) => this.prepare(event, now),
    );
    for (const { event, outcome } of results) {
      if (outcome === 'applied') this.options.onProcessed?.(event, now);
      else if (outcome === 'lease_lost') {
        this.options.logger.warn({ event_id: event.id }, 'event lease lost to another worker; skipped');
      } else await this.recordFailure(event, 'unprepared' in outcome ? outcome.unprepared : outcome.error);
    }
    return results.length;
  }

  /** Parses a stored event and plans its application (pure: it may run inside the store's transaction). */
  private prepare(event: ClaimedEvent, now: number): EventToApply {
    const parsed = parseSessionEvent(JSON.parse(event.payload));
    if (!parsed) throw new Error('stored payload is not an Identity verification session event');
    return {
      claim: { eventId: event.id, owner: this.owner, sessionId: parsed.session.id },
      application: eventApplication(parsed, this.options.policy, now, {
        compareOutputs: this.options.compareOutputs === true,
      }),
    };
  }

  private async recordFailure(event: ClaimedEvent, err: unknown): Promise<void> {
    const { store, logger } = this.options;
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 500);
    const now = this.clock();
    const dead = event.attempts >= this.options.maxEventAttempts;
    const retryAt = dead ? null : now + backoffDelay(event.attempts, 1000, 300_000);
    logger.error(
      { event_id: event.id, attempts: event.attempts, dead, err: { message } },
      'event processing failed',
    );
    await store
      .failEvent({ id: event.id, owner: this.owner, error: message, now, retryAt })
      .catch((failErr: unknown) =>
        logger.error(
          { event_id: event.id, err: { message: (failErr as Error).message } },
          'could not record the failure',
        ),
      );
  }
}
