/**
 * A polling loop shared by the event worker and the dispatcher. Polling keeps it correct on its own (a
 * missed wake-up only costs one interval); `wake()` lets a receiver in the same process cut the latency.
 * A full batch means more work is waiting, so the next round starts at once.
 */
import type { Logger } from 'pino';

export interface LoopOptions {
  name: string;
  pollIntervalMs: number;
  batchSize: number;
  logger: Logger;
  /** Processes one batch; returns how many items it handled. */
  runBatch: () => Promise<number>;
}

export class PollingLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private wakeRequested = false;

  /** The event worker and the dispatcher extend this class; their runBatch is their own runOnce. */
  constructor(private readonly loopOptions: LoopOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.wake();
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.tick().finally(() => {
      this.running = undefined;
      this.schedule();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.wakeRequested) {
      this.wakeRequested = false;
      setImmediate(() => this.wake());
      return;
    }
    this.timer = setTimeout(() => this.wake(), this.loopOptions.pollIntervalMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      const handled = await this.loopOptions.runBatch();
      if (handled >= this.loopOptions.batchSize) this.wakeRequested = true;
    } catch (err) {
      this.loopOptions.logger.error(
        { err: { message: (err as Error).message }, loop: this.loopOptions.name },
        'loop batch failed',
      );
    }
  }
}
