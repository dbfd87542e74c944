import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@idv-outcomes/emulator';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { createStripeClient } from '../../src/stripe/client.js';
import { IDV_BIN, spawnIdv } from '../helpers/child.js';
import { tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';

const run = promisify(execFile);
const temp = tempDir();
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emulator.close();
  temp.cleanup();
});

it('idv serve with IDV_RECONCILE_EVERY heals a missed event on its next scheduled run', async () => {
  const dbPath = join(temp.dir, 'scheduled.db');
  const child = await spawnIdv(['serve', '--port', '0'], {
    IDV_DATABASE_URL: `sqlite:${dbPath}`,
    STRIPE_WEBHOOK_SECRET: 'whsec_schedule_test',
    STRIPE_SECRET_KEY: 'sk_test_schedule',
    STRIPE_API_BASE: emulator.url,
    IDV_RECONCILE_EVERY: '1s',
  });
  try {
    const stripe = createStripeClient({
      secretKey: 'sk_test_schedule',
      apiBase: emulator.url,
      maxNetworkRetries: 0,
    });
    // No endpoint points at idv: Stripe's delivery of these events is missed entirely.
    const session = await stripe.identity.verificationSessions.create({
      type: 'document',
      metadata: { user_id: 'scheduled_user' },
    });
    await stripe.rawRequest(
      'POST',
      `/v1/test_helpers/identity/verification_sessions/${session.id}/verify`,
      {},
    );
    const missed = (await stripe.events.list({ type: 'identity.verification_session.*', limit: 100 })).data;
    const verified = missed.find((e) => e.type === 'identity.verification_session.verified')!;
    expect(verified).toBeDefined();

    const store = new SqliteStore({ filename: dbPath });
    try {
      const processed = await waitFor(
        async () => {
          const page = await store.listEvents({ limit: 100 });
          const row = page.data.find((e) => e.id === verified.id);
          return row?.status === 'processed' ? page.data : undefined;
        },
        15_000,
        'the missed verified event to be processed',
      );
      expect(processed.map((e) => e.id).sort()).toEqual(missed.map((e) => e.id).sort());
    } finally {
      await store.close();
    }
    const runs = child
      .output()
      .split('\n')
      .filter((line) => line.includes('"reconcile run"'))
      .map((line) => JSON.parse(line) as { fetched: number; new: number; window_sec: number });
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(runs.some((r) => r.new === missed.length && r.fetched >= missed.length)).toBe(true);
    expect(runs.every((r) => r.window_sec === 301)).toBe(true);
  } finally {
    child.proc.kill('SIGTERM');
    expect(await child.exited).toBe(0);
  }
});

it('idv serve refuses IDV_RECONCILE_EVERY without STRIPE_SECRET_KEY, naming both', async () => {
  const env = {
    PATH: process.env.PATH ?? '',
    IDV_DATABASE_URL: `sqlite:${join(temp.dir, 'refused.db')}`,
    STRIPE_WEBHOOK_SECRET: 'whsec_schedule_test',
    IDV_RECONCILE_EVERY: '15m',
  };
  await expect(run(process.execPath, [IDV_BIN, 'serve', '--port', '0'], { env })).rejects.toMatchObject({
    stderr: expect.stringMatching(/IDV_RECONCILE_EVERY.*STRIPE_SECRET_KEY/),
  });
  await expect(
    run(process.execPath, [IDV_BIN, 'serve', '--port', '0'], {
      env: { ...env, STRIPE_SECRET_KEY: 'sk_test_x', IDV_RECONCILE_EVERY: 'hourly' },
    }),
  ).rejects.toMatchObject({ stderr: expect.stringMatching(/IDV_RECONCILE_EVERY: expected a duration/) });
});

it('idv serve --help lists IDV_RECONCILE_EVERY', async () => {
  const help = await run(process.execPath, [IDV_BIN, 'serve', '--help'], {
    env: { PATH: process.env.PATH ?? '' },
  });
  expect(help.stdout).toMatch(/IDV_RECONCILE_EVERY/);
});
