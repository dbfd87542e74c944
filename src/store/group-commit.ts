/**
 * Group commit for the receiver path: requests that arrive while the loop is busy share one transaction and
 * one fsync, and each caller is answered only after that transaction is durable. The batch is flushed on the
 * next turn of the event loop, so a lone request waits no timer; under load the batch grows by itself while
 * the previous batch is written.
 *
 * With a `durable` step (SQLite: an fdatasync of the WAL on the thread pool) writing and syncing overlap: as
 * soon as a batch is written the next one may be, while the first waits for its sync. Without the overlap
 * the event loop sat idle for every sync (measured: 27% idle at c=32). `durable()` must cover every write
 * made before it was called (WalSync does: a caller arriving during a sync waits for the next one).
 *
 * One bad row must not fail its neighbours: when a batch fails with an error `isRowError` blames on a row
 * (a value the database refuses), the batch is split in halves, each committed on its own, until the bad
 * row fails alone — about 2·log2(n) extra commits for one bad row in n. Any other error (the database is
 * gone, the disk is full) fails the whole batch at once, as retrying row by row could only take longer.
 */
export type FlushBatch<T, R> = (items: T[]) => Promise<R[]> | R[];

export interface GroupCommitOptions {
  maxBatch?: number;
  isRowError?: (err: unknown) => boolean;
  /** Resolves once everything written so far is on disk; callers are answered after it. */
  durable?: () => Promise<void>;
}

interface Entry<T, R> {
  item: T;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

type Written<T, R> =
  { entry: Entry<T, R>; ok: true; value: R } | { entry: Entry<T, R>; ok: false; error: unknown };

export class GroupCommitter<T, R> {
  private queue: Entry<T, R>[] = [];
  private scheduled = false;
  private flushing = false;
  private readonly maxBatch: number;
  private readonly isRowError: (err: unknown) => boolean;

  constructor(
    private readonly flushBatch: FlushBatch<T, R>,
    private readonly options: GroupCommitOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 512;
    this.isRowError = options.isRowError ?? (() => false);
  }

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
    let written: Written<T, R>[];
    try {
      written = await this.write(this.queue.splice(0, this.maxBatch));
    } finally {
      this.flushing = false;
      if (this.queue.length > 0) this.schedule();
    }
    await this.answer(written);
  }

  private async answer(written: Written<T, R>[]): Promise<void> {
    let failure: { error: unknown } | undefined;
    if (this.options.durable && written.some((w) => w.ok)) {
      try {
        await this.options.durable();
      } catch (error) {
        failure = { error };
      }
    }
    for (const w of written) {
      if (!w.ok) w.entry.reject(w.error);
      else if (failure) w.entry.reject(failure.error);
      else w.entry.resolve(w.value);
    }
  }

  /** The halves are written in order, so of one id sent twice the earlier caller still stores it. */
  private async write(batch: Entry<T, R>[]): Promise<Written<T, R>[]> {
    try {
      const results = await this.flushBatch(batch.map((entry) => entry.item));
      return batch.map((entry, i) => ({ entry, ok: true, value: results[i] as R }));
    } catch (error) {
      if (batch.length > 1 && this.isRowError(error)) {
        const half = Math.ceil(batch.length / 2);
        return [...(await this.write(batch.slice(0, half))), ...(await this.write(batch.slice(half)))];
      }
      return batch.map((entry) => ({ entry, ok: false, error }));
    }
  }
}
