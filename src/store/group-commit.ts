/**
 * Group commit for the receiver path: requests that arrive while the loop is busy share one transaction and
 * one fsync, and each caller is answered only after that transaction is durable. The batch is flushed on the
 * next turn of the event loop, so a lone request waits no timer; under load the batch grows by itself while
 * the previous fsync runs.
 */
export type FlushBatch<T, R> = (items: T[]) => Promise<R[]> | R[];

export class GroupCommitter<T, R> {
  private queue: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;
  private flushing = false;

  constructor(
    private readonly flushBatch: FlushBatch<T, R>,
    private readonly maxBatch = 512,
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
    const batch = this.queue.splice(0, this.maxBatch);
    try {
      const results = await this.flushBatch(batch.map((entry) => entry.item));
      batch.forEach((entry, i) => entry.resolve(results[i] as R));
    } catch (err) {
      for (const entry of batch) entry.reject(err);
    } finally {
      this.flushing = false;
      if (this.queue.length > 0) this.schedule();
    }
  }
}
