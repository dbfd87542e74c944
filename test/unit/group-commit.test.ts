import { describe, expect, it } from 'vitest';
import { GroupCommitter } from '../../src/store/group-commit.js';

class RowError extends Error {}

/** A fake database: a batch commits all or nothing, and refuses any batch holding a `bad` item. */
function fakeDatabase() {
  const stored: string[] = [];
  const commits: string[][] = [];
  const flush = async (items: string[]) => {
    commits.push(items);
    if (items.some((item) => item.startsWith('bad'))) throw new RowError('value refused');
    return items.map((item) => {
      const inserted = !stored.includes(item);
      if (inserted) stored.push(item);
      return { inserted };
    });
  };
  return { stored, commits, flush };
}

describe('GroupCommitter', () => {
  it('a row the database refuses fails alone; the rest of its batch is stored', async () => {
    const db = fakeDatabase();
    const committer = new GroupCommitter(db.flush, { isRowError: (err) => err instanceof RowError });
    const items = Array.from({ length: 100 }, (_, i) => (i === 37 ? 'bad-37' : `ok-${i}`));
    const results = await Promise.allSettled(items.map((item) => committer.submit(item)));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(results[37]).toMatchObject({ status: 'rejected' });
    expect(db.stored).toHaveLength(99);
    // Halving, not row by row: one bad row in 100 costs a handful of commits.
    expect(db.commits.length).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(100)));
  });

  it('an id sent twice in a failing batch is still stored by its first caller', async () => {
    const db = fakeDatabase();
    const committer = new GroupCommitter(db.flush, { isRowError: (err) => err instanceof RowError });
    const results = await Promise.allSettled(['a', 'bad', 'b', 'a'].map((item) => committer.submit(item)));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.inserted : 'failed'))).toEqual([
      true,
      'failed',
      true,
      false,
    ]);
  });

  it('an error that is not a row’s fault fails the whole batch at once, without retries', async () => {
    let calls = 0;
    const committer = new GroupCommitter<string, unknown>(
      async () => {
        calls += 1;
        throw new Error('database is gone');
      },
      { isRowError: (err) => err instanceof RowError },
    );
    const results = await Promise.allSettled(['a', 'b', 'c'].map((item) => committer.submit(item)));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(calls).toBe(1);
  });

  it('writes the next batch while the previous one waits to be durable, and answers no one before', async () => {
    const log: string[] = [];
    const syncs: (() => void)[] = [];
    const committer = new GroupCommitter<string, string>(
      (items) => {
        log.push(`write ${items.join(',')}`);
        return items;
      },
      {
        durable: () =>
          new Promise<void>((resolve) => {
            log.push('sync');
            syncs.push(resolve);
          }),
      },
    );
    const answered: string[] = [];
    const first = committer.submit('a').then((v) => answered.push(v));
    await new Promise((r) => setImmediate(r));
    const second = committer.submit('b').then((v) => answered.push(v));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    // Both batches are written; neither sync has finished, so no one is answered yet.
    expect(log).toEqual(['write a', 'sync', 'write b', 'sync']);
    expect(answered).toEqual([]);
    syncs[1]!();
    await second;
    expect(answered).toEqual(['b']);
    syncs[0]!();
    await first;
    expect(answered).toEqual(['b', 'a']);
  });

  it('a failed sync fails every caller of its batch', async () => {
    const committer = new GroupCommitter<string, string>((items) => items, {
      durable: () => Promise.reject(new Error('fdatasync: EIO')),
    });
    const results = await Promise.allSettled(['a', 'b'].map((item) => committer.submit(item)));
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'ok'))).toEqual([
      'fdatasync: EIO',
      'fdatasync: EIO',
    ]);
  });
});
