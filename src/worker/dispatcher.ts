/**
 * The dispatcher: runs the outbox. It claims due reactions with a lease (so two dispatchers, in one
 * process or many, never run the same row at once; a crashed dispatcher's rows come back when the lease
 * expires), runs each with the runner for its kind, and records the verdict:
 *
 *   done / skipped (with the reason)  → final
 *   retry (or the runner threw)       → failed, next try after `scheduledDelay(attempts, retryScheduleMs)`;
 *                                       dead once the schedule is used up
 *   dead                              → dead at once (e.g. the app answered 400)
 *
 * Dead rows stay visible (GET /admin/api/reactions?status=dead) and can be replayed. Reactions are
 * at-least-once: a row whose lease expires mid-send may run twice, so every side effect carries the
 * row's idempotency key for the receiver to dedupe. Logs name ids, kinds, topics and statuses only.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ReactionRunner, ReactionVerdict } from '../reactions/verdict.js';
import type { Outbox, OutboxRecord, ReactionResult } from '../store/store.js';
import { scheduledDelay } from './backoff.js';
import { LeaseKeeper } from './lease-keeper.js';
import { PollingLoop } from './loop.js';
import { RESULT_WRITE_DELAYS_MS, retryWrite } from './retry-write.js';

export interface DispatcherOptions {
  store: Outbox;
  logger: Logger;
  /** One runner per reaction kind (`email`, `callback`); a kind without one is skipped as `unknown_kind`. */
  runners: Readonly<Partial<Record<string, ReactionRunner>>>;
  retryScheduleMs: readonly number[];
  pollIntervalMs: number;
  /**
   * How long a claimed row is held without renewal. Renewed every third of it while the row runs, so it
   * need not outlast the slowest send; it bounds how long a dead dispatcher's rows wait to be taken over.
   */
  leaseMs?: number;
  /** Delays between tries of recording a result (see retry-write.ts). */
  resultWriteDelaysMs?: readonly number[];
  batchSize?: number;
  clock?: () => number;
  random?: () => number;
  /** Called after each row is finished (metrics, tests). */
  /** `startedAt`: when this try began (traces). */
  onFinished?: (row: OutboxRecord, verdict: ReactionVerdict, startedAt: number) => void;
}

export const DEFAULT_DISPATCH_LEASE_MS = 20_000;
export const DEFAULT_DISPATCH_BATCH = 20;

/** start(), wake() (new reactions were written: look now) and stop() come from PollingLoop. */
export class Dispatcher extends PollingLoop {
  readonly owner = `dispatcher-${randomUUID()}`;
  private readonly clock: () => number;
  private readonly batchSize: number;

  constructor(private readonly options: DispatcherOptions) {
    const batchSize = options.batchSize ?? DEFAULT_DISPATCH_BATCH;
    super({
      name: 'reactions',
      pollIntervalMs: options.pollIntervalMs,
      batchSize,
      logger: options.logger,
      runBatch: () => this.runOnce(),
    });
    this.clock = options.clock ?? Date.now;
    this.batchSize = batchSize;
  }

  /** Claims one batch and runs its rows concurrently (a slow callback must not hold up emails). */
  async runOnce(): Promise<number> {
    const leaseMs = this.options.leaseMs ?? DEFAULT_DISPATCH_LEASE_MS;
    const claimed = await this.options.store.claimReactions({
      owner: this.owner,
      limit: this.batchSize,
      leaseMs,
      now: this.clock(),
    });
    if (claimed.length === 0) return 0;
    const leases = new LeaseKeeper({
      leaseMs,
      logger: this.options.logger,
      extend: (ids, ms) =>
        this.options.store.extendReactionLeases({ owner: this.owner, ids, leaseMs: ms, now: this.clock() }),
    });
    leases.hold(claimed.map((row) => row.id));
    try {
      await Promise.all(claimed.map((row) => this.run(row).finally(() => leases.release(row.id))));
    } finally {
      leases.stop();
    }
    return claimed.length;
  }

  private async run(row: OutboxRecord): Promise<void> {
    const { logger } = this.options;
    const runner = this.options.runners[row.kind];
    const startedAt = this.clock();
    let verdict: ReactionVerdict;
    try {
      verdict = runner ? await runner(row) : { outcome: 'skipped', detail: 'unknown_kind' };
    } catch (err) {
      verdict = {
        outcome: 'retry',
        detail: `error: ${(err as Error)?.message ?? String(err)}`.slice(0, 500),
      };
    }
    const now = this.clock();
    const retryAt =
      verdict.outcome === 'retry'
        ? scheduledDelayAt(now, row.attempts, this.options.retryScheduleMs, this.options.random)
        : null;
    const outcome = verdict.outcome === 'done' || verdict.outcome === 'skipped' ? verdict.outcome : 'failed';
    const status = outcome === 'failed' ? (retryAt === null ? 'dead' : 'failed') : outcome;
    const line = {
      reaction_id: row.id,
      kind: row.kind,
      topic: row.topic,
      subject: row.subjectRef,
      attempts: row.attempts,
      status,
      // Only the head of the detail ("HTTP 500", "smtp 550", "no_email_address"): an app's answer or a
      // handler's error message is kept on the row for operators but may say anything, so it is not logged.
      detail: verdict.outcome === 'done' ? undefined : (verdict.detail.split(':')[0] ?? '').slice(0, 80),
    };
    if (status === 'dead') logger.error(line, 'reaction dead');
    else if (status === 'failed') logger.warn(line, 'reaction failed; will retry');
    else logger.info(line, `reaction ${status}`);
    try {
      const result: ReactionResult = {
        id: row.id,
        owner: this.owner,
        now,
        outcome,
        detail: verdict.detail,
        retryAt,
      };
      await retryWrite(() => this.options.store.finishReaction(result), {
        delaysMs: this.options.resultWriteDelaysMs ?? RESULT_WRITE_DELAYS_MS,
        abandoned: () => this.isStopping(),
      });
    } catch (err) {
      // The lease expires and the row is tried again: at-least-once, never lost.
      logger.error(
        { reaction_id: row.id, err: { message: (err as Error).message } },
        'could not record a reaction result',
      );
      return;
    }
    this.options.onFinished?.(row, verdict, startedAt);
  }
}

function scheduledDelayAt(
  now: number,
  attempts: number,
  schedule: readonly number[],
  random: (() => number) | undefined,
): number | null {
  const delay = scheduledDelay(attempts, schedule, random);
  return delay === null ? null : now + delay;
}
