/**
 * Group commit for the receiver path: requests that arrive while the loop is busy share one transaction and
 * one fsync, and each caller is answered only after that transaction is durable. The batch is flushed on the
 * next turn of the event loop, so a lone request waits no timer; under load the batch grows by itself while
 * the previous fsync runs.
 *
 * One bad row must not fail its neighbours: when a batch fails with an error `isRowError` blames on a row
 * (a value the database refuses), the batch is split in halves, each committed on its own, until the bad
 * row fails alone — about 2·log2(n) extra commits for one bad row in n. Any other error (the database is
 * gone, the disk is full) fails the whole batch at once, as retrying row by row could only take longer.
 */
export type FlushBatch<T, R> = (items: T[]) => Promise<R[]> | R[];

interface Entry<T, R> {
  item: T;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

export class GroupCommitter<T, R> {
  private queue: Entry<T, R>[] = [];
  private scheduled = false;
  private flushing = false;

  constructor(
    private readonly flushBatch: FlushBatch<T, R>,
    private readonly maxBatch = 512,
    private readonly isRowError: (err: unknown) => boolean = () => false,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    this.flushing = true;
    try {
      await this.commit(this.queue.splice(0, this.maxBatch));
    } finally {
      this.flushing = false;
      if (this.queue.length > 0) this.schedule();
    }
  }

  /** The halves are committed in order, so of one id sent twice the earlier caller still stores it. */
  private async commit(batch: Entry<T, R>[]): Promise<void> {
    try {
      const results = await this.flushBatch(batch.map((entry) => entry.item));
      batch.forEach((entry, i) => entry.resolve(results[i] as R));
    } catch (err) {
      if (batch.length > 1 && this.isRowError(err)) {
        const half = Math.ceil(batch.length / 2);
        await this.commit(batch.slice(0, half));
        await this.commit(batch.slice(half));
        return;
      }
      for (const entry of batch) entry.reject(err);
    }
  }
}
