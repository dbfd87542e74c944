import { Writable } from 'node:stream';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@idv-outcomes/emulator';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { NewEvent } from '../../src/store/store.js';
import { createStripeClient } from '../../src/stripe/client.js';
import { reconcileWindowSec, startReconcileSchedule } from '../../src/worker/reconcile-schedule.js';
import { tempDir } from '../helpers/temp.js';

const temp = tempDir();
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emulator.close();
  temp.cleanup();
});

it('the window is twice the interval, at least interval + 5 minutes, never past 30 days', () => {
  expect(reconcileWindowSec(1)).toBe(301);
  expect(reconcileWindowSec(900)).toBe(1800);
  expect(reconcileWindowSec(86_400)).toBe(172_800);
  expect(reconcileWindowSec(20 * 86_400)).toBe(30 * 86_400);
});

it('a run slower than the interval is never overlapped, and stop() waits for the run in hand', async () => {
  const stripe = createStripeClient({ secretKey: 'sk_test_loop', apiBase: emulator.url });
  for (let i = 0; i < 2; i++) await stripe.identity.verificationSessions.create({ type: 'document' });
  const store = new SqliteStore({ filename: join(temp.dir, 'loop.db') });
  await store.migrate();
  let inFlight = 0;
  let mostInFlight = 0;
  let inserts = 0;
  // Each insert takes 700 ms, so one run (2 events) lasts longer than the 1 s interval.
  const slowInbox = {
    insertEvent: async (event: NewEvent) => {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await sleep(700);
      inserts++;
      inFlight--;
      return store.insertEvent(event);
    },
  };
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    }),
  );
  let nudged = 0;
  const schedule = startReconcileSchedule({
    config: {
      reconcileEverySec: 1,
      stripeSecretKey: 'sk_test_loop',
      stripeApiBase: emulator.url,
      acceptedMode: 'any',
    },
    store: slowInbox,
    logger,
    worker: { nudge: () => nudged++ },
  })!;
  try {
    await sleep(4300);
  } finally {
    await schedule.stop();
  }
  const runs = lines.filter((l) => l.msg === 'reconcile run');
  const afterStop = inserts;
  await sleep(1200);
  await store.close();

  expect(mostInFlight).toBe(1);
  expect(runs.length).toBeGreaterThanOrEqual(2);
  expect(runs[0]).toMatchObject({ fetched: 2, new: 2, window_sec: 301 });
  expect(runs[1]).toMatchObject({ fetched: 2, new: 0 });
  expect(nudged).toBe(1);
  // Each run started at least one interval after the previous one ended: never two at once.
  expect(inserts).toBeLessThanOrEqual(2 * (runs.length + 1));
  expect(inserts).toBe(afterStop);
  expect(inFlight).toBe(0);
});
