/**
 * A polling loop shared by the event worker and the dispatcher. Polling keeps it correct on its own (a
 * missed wake-up only costs one interval); `wake()` lets a receiver in the same process cut the latency.
 * A full batch means more work is waiting, so the next round starts at once.
 *
 * `nudge()` is the receiver's wake-up: it coalesces. A round starts at most `coalesceMs` after the first
 * nudge, and nudges during a round only ask for one more round that long after it ends, so under load each
 * round claims what arrived meanwhile (a full batch) instead of one event per round, each paying a claim,
 * a transaction and a commit of its own.
 *
 * Each round is numbered. A round that claims nothing emits `idle` on `events`, and `whenIdle()` resolves
 * on the first such round that *began after* the call: a round already in flight may have looked before
 * the caller's work was stored, so its "nothing" proves nothing.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';

export interface LoopOptions {
  name: string;
  pollIntervalMs: number;
  batchSize: number;
  logger: Logger;
  /** How long a nudge() may wait for company before its round starts (default 5 ms). */
  coalesceMs?: number;
  /** Processes one batch; returns how many items it handled. */
  runBatch: () => Promise<number>;
}

/** What a loop tells observers (shutdown, tests), so they wait for a fact instead of sleeping. */
export interface LoopEvents {
  /** Round number `round` claimed nothing: nothing was due when it looked. */
  idle: [round: number];
  /** stop() has finished: no round runs until start(). */
  stopped: [];
}

export class PollingLoop {
  readonly events = new EventEmitter<LoopEvents>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  /** stop() was called (unlike `stopped`, false for a loop driven by runOnce() without start()). */
  private stopRequested = false;
  private wakeRequested = false;
  private nudgeRequested = false;
  /** A round is due within coalesceMs (a nudge's timer, not the poll timer). */
  private nudgeDue = false;
  private roundsStarted = 0;
  private idleWaiters = 0;

  /** The event worker and the dispatcher extend this class; their runBatch is their own runOnce. */
  constructor(private readonly loopOptions: LoopOptions) {}

  /** True once stop() was called: work in hand should finish without waiting on retries. */
  protected isStopping(): boolean {
    return this.stopRequested;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.stopRequested = false;
    this.wake();
  }

  /** New work exists but is not urgent: look within coalesceMs, together with whatever else arrives. */
  nudge(): void {
    if (this.stopped || this.nudgeDue) return;
    if (this.running) {
      this.nudgeRequested = true;
      return;
    }
    this.nudgeDue = true;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), this.loopOptions.coalesceMs ?? 5);
    this.timer.unref();
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    this.nudgeDue = false;
    this.running = this.tick().finally(() => {
      this.running = undefined;
      this.schedule();
    });
  }

  /**
   * Resolves after a round that began after this call found nothing due. Rows waiting for a later retry
   * are not due, so they do not hold it up. Looks at once (and again at once after each round that did
   * work) instead of waiting for the poll interval. Rejects if the loop is not running or is stopped first.
   */
  whenIdle(): Promise<void> {
    const { name } = this.loopOptions;
    if (this.stopped) return Promise.reject(new Error(`the ${name} loop is not running`));
    const after = this.roundsStarted;
    return new Promise<void>((resolve, reject) => {
      const settle = (outcome: () => void) => {
        this.idleWaiters -= 1;
        this.events.off('idle', onIdle);
        this.events.off('stopped', onStopped);
        outcome();
      };
      const onIdle = (round: number) => {
        if (round > after) settle(resolve);
      };
      const onStopped = () => settle(() => reject(new Error(`the ${name} loop stopped before it was idle`)));
      this.idleWaiters += 1;
      this.events.on('idle', onIdle);
      this.events.on('stopped', onStopped);
      this.wake();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopRequested = true;
    clearTimeout(this.timer);
    this.nudgeDue = false;
    await this.running;
    this.events.emit('stopped');
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.wakeRequested) {
      this.wakeRequested = false;
      this.nudgeRequested = false;
      setImmediate(() => this.wake());
      return;
    }
    if (this.nudgeRequested) {
      this.nudgeRequested = false;
      this.nudge();
      return;
    }
    this.timer = setTimeout(() => this.wake(), this.loopOptions.pollIntervalMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    const round = ++this.roundsStarted;
    let handled: number;
    try {
      handled = await this.loopOptions.runBatch();
    } catch (err) {
      // Not idle: the store may be down. The next round comes after the poll interval, as usual.
      this.loopOptions.logger.error(
        { err: { message: (err as Error).message }, loop: this.loopOptions.name },
        'loop batch failed',
      );
      return;
    }
    if (handled === 0) this.events.emit('idle', round);
    else if (handled >= this.loopOptions.batchSize || this.idleWaiters > 0) this.wakeRequested = true;
  }
}

/**
 * Resolves once nothing is due for an event worker and a dispatcher of this process, in that order: the
 * worker writes an event's reactions in the transaction that applies it, so only a dispatcher round that
 * begins after the worker found nothing proves that no reaction planned so far is still waiting to run.
 * One pass is enough because a reaction (an email, a callback) writes no events and no reactions.
 * Either may be absent (a process running one role).
 */
export async function whenPipelineIdle(
  worker: PollingLoop | undefined,
  dispatcher: PollingLoop | undefined,
): Promise<void> {
  await worker?.whenIdle();
  await dispatcher?.whenIdle();
}
