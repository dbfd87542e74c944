import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { idempotencyKey, type PlannedReaction } from '../../src/domain/index.js';
import type { ReactionRunner } from '../../src/reactions/verdict.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { Dispatcher } from '../../src/worker/dispatcher.js';
import { tempDir } from '../helpers/temp.js';

const silent = pino({ level: 'silent' });
let temp: ReturnType<typeof tempDir>;
let store: SqliteStore;

beforeEach(async () => {
  temp = tempDir();
  store = new SqliteStore({ filename: join(temp.dir, 'idv.db') });
  await store.migrate();
});
afterEach(async () => {
  await store.close();
  temp.cleanup();
});

function reaction(ref: string, n: number): PlannedReaction {
  const topic = 'verification.verified';
  return {
    kind: 'callback',
    topic,
    idempotencyKey: idempotencyKey(ref, 'callback', topic, `verified:vs_${n}`),
    subjectRef: ref,
    sessionId: `vs_${n}`,
    state: 'verified',
    lastError: null,
    category: null,
    eventId: null,
  };
}

async function queue(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await store.updateSubject(
      `user_${i}`,
      () => ({
        change: { sessions: [], subject: null, history: [], reactions: [reaction(`user_${i}`, i)] },
        result: undefined,
      }),
      Date.now(),
    );
  }
}

function dispatcher(runner: ReactionRunner, schedule: number[] = [10]) {
  return new Dispatcher({
    store,
    logger: silent,
    runners: { callback: runner },
    retryScheduleMs: schedule,
    pollIntervalMs: 5,
    batchSize: 5,
  });
}

describe('Dispatcher', () => {
  it('two dispatchers on one store never run the same row', async () => {
    await queue(30);
    const runs = new Map<number, number>();
    const runner: ReactionRunner = async (row) => {
      runs.set(row.id, (runs.get(row.id) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 5));
      return { outcome: 'done', detail: null };
    };
    const a = dispatcher(runner);
    const b = dispatcher(runner);
    await Promise.all([
      (async () => {
        while ((await a.runOnce()) > 0);
      })(),
      (async () => {
        while ((await b.runOnce()) > 0);
      })(),
    ]);
    expect(runs.size).toBe(30);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(await store.listReactions({ status: 'done', limit: 100 })).toHaveLength(30);
  });

  it('a throwing runner is retried on the schedule, then dead', async () => {
    await queue(1);
    let calls = 0;
    const d = dispatcher(async () => {
      calls += 1;
      throw new Error('boom');
    }, [1, 1]);
    for (let i = 0; i < 10 && (await store.listReactions({ status: 'dead', limit: 1 })).length === 0; i++) {
      await d.runOnce();
      await new Promise((r) => setTimeout(r, 5));
    }
    const [row] = await store.listReactions({ limit: 1 });
    expect(row).toMatchObject({ status: 'dead', attempts: 3, lastError: 'error: boom' });
    expect(calls).toBe(3);
  });

  it('skips a kind it has no runner for', async () => {
    await queue(1);
    const d = new Dispatcher({
      store,
      logger: silent,
      runners: {},
      retryScheduleMs: [10],
      pollIntervalMs: 5,
    });
    await d.runOnce();
    expect((await store.listReactions({ limit: 1 }))[0]).toMatchObject({
      status: 'skipped',
      result: 'unknown_kind',
    });
  });
});
