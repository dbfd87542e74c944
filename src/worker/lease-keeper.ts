/**
 * Keeps the leases of rows in hand alive while their work runs. Leases can then be short — a process that
 * dies stops renewing, and its rows are taken over within one lease (seconds, not minutes) — while a slow
 * callback still holds its row for as long as it takes.
 */
import type { Logger } from 'pino';

export interface LeaseKeeperOptions {
  leaseMs: number;
  /** Extends the lease of `ids` to `now + leaseMs`; returns how many are still held. */
  extend: (ids: number[], leaseMs: number) => Promise<number>;
  logger: Logger;
}

export class LeaseKeeper {
  private readonly held = new Set<number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: LeaseKeeperOptions) {}

  /** Starts renewing `ids` every third of a lease, until each is released. */
  hold(ids: number[]): void {
    for (const id of ids) this.held.add(id);
    if (this.timer || this.held.size === 0) return;
    this.timer = setInterval(() => void this.renew(), Math.max(100, Math.floor(this.options.leaseMs / 3)));
    this.timer.unref();
  }

  release(id: number): void {
    this.held.delete(id);
    if (this.held.size === 0) this.stop();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async renew(): Promise<void> {
    if (this.held.size === 0) return;
    try {
      await this.options.extend([...this.held], this.options.leaseMs);
    } catch (err) {
      // The next beat tries again; a lease that runs out meanwhile only means the row may run twice.
      this.options.logger.warn(
        { err: { message: (err as Error).message } },
        'could not renew reaction leases',
      );
    }
  }
}
