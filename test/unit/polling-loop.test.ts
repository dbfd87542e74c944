/**
 * PollingLoop.whenIdle: the wait that tests count after ("still only one email") and a shutdown drains
 * with. Each case pins a way a "nothing is due" answer could be given too early.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { PollingLoop, whenPipelineIdle } from '../../src/worker/loop.js';

const silent = pino({ level: 'silent' });
const HOUR = 3_600_000;
const loops: PollingLoop[] = [];
afterEach(async () => {
  for (const loop of loops.splice(0)) await loop.stop();
});

/** A loop whose rounds return what the test hands them, one round at a time. */
function scriptedLoop(pollIntervalMs = HOUR, coalesceMs?: number) {
  const rounds: { resolve: (handled: number) => void; reject: (err: Error) => void }[] = [];
  const waiting: (() => void)[] = [];
  const loop = new PollingLoop({
    name: 'test',
    pollIntervalMs,
    batchSize: 10,
    logger: silent,
    ...(coalesceMs === undefined ? {} : { coalesceMs }),
    runBatch: () =>
      new Promise<number>((resolve, reject) => {
        rounds.push({ resolve, reject });
        waiting.splice(0).forEach((wake) => wake());
      }),
  });
  loops.push(loop);
  /** Waits until round number `n` (1-based) has begun, and returns its controls. */
  const round = async (n: number) => {
    while (rounds.length < n) await new Promise<void>((r) => waiting.push(r));
    return rounds[n - 1]!;
  };
  return { loop, round, started: () => rounds.length };
}

/** Whether `promise` has settled once everything already queued has run. */
async function settledYet(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((r) => setImmediate(r));
  return settled;
}

describe('PollingLoop.whenIdle', () => {
  it('does not take an empty round that was already running when it was called', async () => {
    const { loop, round } = scriptedLoop();
    loop.start();
    const first = await round(1);
    // The first round looked before the caller stored its work: its "nothing" proves nothing.
    const idle = loop.whenIdle();
    first.resolve(0);
    expect(await settledYet(idle)).toBe(false);
    (await round(2)).resolve(0);
    await idle;
  });

  it('keeps looking at once while rounds find work, instead of waiting for the poll interval', async () => {
    const { loop, round, started } = scriptedLoop(HOUR);
    loop.start();
    (await round(1)).resolve(0);
    const idle = loop.whenIdle();
    (await round(2)).resolve(3);
    (await round(3)).resolve(1);
    expect(await settledYet(idle)).toBe(false);
    (await round(4)).resolve(0);
    await idle;
    expect(started()).toBe(4);
  });

  it('a failed round is not idle', async () => {
    const { loop, round } = scriptedLoop(5);
    loop.start();
    const idle = loop.whenIdle();
    (await round(1)).reject(new Error('database unavailable'));
    expect(await settledYet(idle)).toBe(false);
    (await round(2)).resolve(0);
    await idle;
  });

  it('rejects on a loop that is not running, and when the loop stops before it is idle', async () => {
    const { loop, round } = scriptedLoop();
    await expect(loop.whenIdle()).rejects.toThrow(/not running/);
    loop.start();
    const first = await round(1);
    const idle = loop.whenIdle();
    const stopped = loop.stop();
    first.resolve(2);
    await stopped;
    await expect(idle).rejects.toThrow(/stopped before it was idle/);
  });

  it('emits idle with the number of the round that found nothing', async () => {
    const { loop, round } = scriptedLoop();
    const seen: number[] = [];
    loop.events.on('idle', (n) => seen.push(n));
    loop.start();
    (await round(1)).resolve(1);
    loop.wake();
    (await round(2)).resolve(0);
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual([2]);
  });
});

describe('whenPipelineIdle', () => {
  it('asks the dispatcher only after the worker found nothing, so reactions the worker wrote are seen', async () => {
    const worker = scriptedLoop();
    const dispatcher = scriptedLoop();
    worker.loop.start();
    dispatcher.loop.start();
    (await worker.round(1)).resolve(0);
    (await dispatcher.round(1)).resolve(0);
    const idle = whenPipelineIdle(worker.loop, dispatcher.loop);
    // The worker applies an event (writing its reactions) in round 2; a dispatcher round begun meanwhile
    // could miss them, so the dispatcher is not asked until the worker has found nothing.
    (await worker.round(2)).resolve(1);
    const workerEmpty = await worker.round(3);
    expect(dispatcher.started()).toBe(1);
    workerEmpty.resolve(0);
    (await dispatcher.round(2)).resolve(1);
    expect(await settledYet(idle)).toBe(false);
    (await dispatcher.round(3)).resolve(0);
    await idle;
  });
});

describe('PollingLoop.nudge', () => {
  it('waits coalesceMs for company instead of starting a round per nudge', async () => {
    const { loop, round, started } = scriptedLoop(HOUR, 20);
    loop.start();
    (await round(1)).resolve(0);
    await new Promise((r) => setImmediate(r));
    loop.nudge();
    await new Promise((r) => setImmediate(r));
    loop.nudge();
    await new Promise((r) => setImmediate(r));
    expect(started()).toBe(1);
    (await round(2)).resolve(0);
    await new Promise((r) => setTimeout(r, 40));
    expect(started()).toBe(2);
  });

  it('gathers nudges into one round, and nudges during a round into one more round after it', async () => {
    const { loop, round, started } = scriptedLoop();
    loop.start();
    (await round(1)).resolve(0);
    for (let i = 0; i < 50; i++) loop.nudge();
    const second = await round(2);
    for (let i = 0; i < 50; i++) loop.nudge();
    second.resolve(3);
    const third = await round(3);
    // Fifty nudges before round 2 and fifty during it made two rounds, not a hundred.
    await new Promise((r) => setTimeout(r, 30));
    expect(started()).toBe(3);
    third.resolve(0);
  });

  it('is overtaken by wake(), which looks at once', async () => {
    const { loop, round, started } = scriptedLoop();
    loop.start();
    (await round(1)).resolve(0);
    await new Promise((r) => setImmediate(r));
    loop.nudge();
    loop.wake();
    expect(started()).toBe(2);
    (await round(2)).resolve(0);
    await new Promise((r) => setTimeout(r, 30));
    // The nudge's pending round was the one wake() ran.
    expect(started()).toBe(2);
  });
});
