/**
 * Every write whose caller is answered is durable first (issue: "every acknowledged write is durable"):
 * a replay answered 202 must survive a power loss, so it waits for the WAL sync like a webhook does; and a
 * sync that fails right after a dispatcher's claim hands the claimed reactions back instead of leaving them
 * leased, unsent, until the lease runs out.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore, type Durability } from '../../src/store/sqlite/sqlite-store.js';
import { WalSync } from '../../src/store/sqlite/wal-sync.js';
import { T0, newEvent, nextId, reaction, subjectChange } from '../contract/fixtures.js';
import { tempDir } from '../helpers/temp.js';

/** The real WAL sync, with a gate a test can hold shut, and a switch that makes the next sync fail. */
class ObservedSync implements Durability {
  syncs = 0;
  failNext = false;
  private gate: Promise<void> = Promise.resolve();
  private open: () => void = () => undefined;
  private readonly real: WalSync;

  constructor(walPath: string | null) {
    this.real = new WalSync(walPath);
  }

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open();
  }

  async sync(): Promise<void> {
    await this.gate;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('EIO: i/o error, fdatasync');
    }
    await this.real.sync();
    this.syncs += 1;
  }

  close(): Promise<void> {
    return this.real.close();
  }
}

let temp: ReturnType<typeof tempDir>;
let store: SqliteStore;
let sync: ObservedSync;

beforeEach(async () => {
  temp = tempDir('idv-acks-');
  store = new SqliteStore({
    filename: join(temp.dir, 'idv.db'),
    durability: (walPath) => (sync = new ObservedSync(walPath)),
  });
  await store.migrate();
});

afterEach(async () => {
  sync.release();
  await store.close();
  temp.cleanup();
});

/** Resolves to whether `promise` settled within a few turns of the event loop. */
async function settlesSoon(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  return settled;
}

async function reactionsFor(ref: string, n: number): Promise<void> {
  const reactions = Array.from({ length: n }, (_, i) => reaction('email', ref, `${ref}:k${i}`));
  await store.updateSubject(
    ref,
    () => ({ change: subjectChange(ref, nextId('vs'), 'verified', reactions), result: null }),
    T0,
  );
}

describe('acknowledged writes on SQLite', () => {
  it('answers an event replay only after its reset is synced to disk', async () => {
    const event = newEvent();
    await store.insertEvent(event);
    await store.claimEvents({ owner: 'w1', limit: 1, leaseMs: 1_000, now: T0 });
    await store.failEvent({ id: event.id, owner: 'w1', error: 'x', now: T0, retryAt: null });
    sync.hold();
    const replay = store.requeueEvents({ ids: [event.id] }, T0 + 1);
    expect(await settlesSoon(replay)).toBe(false);
    sync.release();
    expect(await replay).toBe(1);
    expect(sync.syncs).toBeGreaterThan(0);
  });

  it('answers a reaction replay only after its reset is synced to disk', async () => {
    const ref = nextId('user');
    await reactionsFor(ref, 1);
    const [row] = await store.claimReactions({ owner: 'd1', limit: 1, leaseMs: 1_000, now: T0 });
    await store.finishReaction({
      id: row!.id,
      owner: 'd1',
      now: T0,
      outcome: 'failed',
      detail: 'x',
      retryAt: null,
    });
    sync.hold();
    const replay = store.requeueReactions({ status: 'dead' }, T0 + 1);
    expect(await settlesSoon(replay)).toBe(false);
    sync.release();
    expect(await replay).toBe(1);
  });

  it('hands claimed reactions back at once when the sync after the claim fails', async () => {
    const ref = nextId('user');
    await reactionsFor(ref, 3);
    sync.failNext = true;
    await expect(store.claimReactions({ owner: 'd1', limit: 10, leaseMs: 300_000, now: T0 })).rejects.toThrow(
      /EIO/,
    );
    // Not stranded under d1's five-minute lease: due again now, with the failed claim not counted.
    const again = await store.claimReactions({ owner: 'd2', limit: 10, leaseMs: 300_000, now: T0 });
    expect(again.map((r) => [r.idempotencyKey, r.attempts])).toEqual([
      [`${ref}:k0`, 1],
      [`${ref}:k1`, 1],
      [`${ref}:k2`, 1],
    ]);
  });
});
