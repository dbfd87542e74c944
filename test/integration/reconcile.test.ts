import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@idv-outcomes/emulator';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { createStripeClient } from '../../src/stripe/client.js';
import { main } from '../../src/cli/main.js';
import { IDV_BIN } from '../helpers/child.js';
import { tempDir } from '../helpers/temp.js';

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

it('idv reconcile pulls the Identity events missed during downtime into the inbox, and twice is harmless', async () => {
  const stripe = createStripeClient({
    secretKey: 'sk_test_reconcile',
    apiBase: emulator.url,
    maxNetworkRetries: 0,
  });
  const verified = await stripe.identity.verificationSessions.create({
    type: 'document',
    metadata: { user_id: 'rec_user_1' },
  });
  await stripe.rawRequest(
    'POST',
    `/v1/test_helpers/identity/verification_sessions/${verified.id}/verify`,
    {},
  );
  const failed = await stripe.identity.verificationSessions.create({
    type: 'document',
    client_reference_id: 'rec_user_2',
  });
  await stripe.rawRequest(
    'POST',
    `/v1/test_helpers/identity/verification_sessions/${failed.id}/require_input`,
    {
      last_error: { code: 'document_expired' },
    },
  );
  const expected = (
    await stripe.events.list({ type: 'identity.verification_session.*', limit: 100 })
  ).data.map((e) => e.id);
  expect(expected.length).toBeGreaterThanOrEqual(6);

  const dbPath = join(temp.dir, 'idv.db');
  const env = {
    PATH: process.env.PATH ?? '',
    IDV_DATABASE_URL: `sqlite:${dbPath}`,
    STRIPE_SECRET_KEY: 'sk_test_reconcile',
    STRIPE_API_BASE: emulator.url,
  };
  const first = await run(process.execPath, [IDV_BIN, 'reconcile', '--since', '1h'], { env });
  expect(first.stdout).toMatch(new RegExp(`fetched ${expected.length} event\\(s\\), ${expected.length} new`));
  const again = await run(process.execPath, [IDV_BIN, 'reconcile', '--since', '1h'], { env });
  expect(again.stdout).toMatch(new RegExp(`fetched ${expected.length} event\\(s\\), 0 new`));

  const store = new SqliteStore({ filename: dbPath });
  try {
    const page = await store.listEvents({ limit: 100 });
    expect(page.data.map((e) => e.id).sort()).toEqual([...expected].sort());
    expect(page.data.every((e) => e.status === 'pending')).toBe(true);
  } finally {
    await store.close();
  }
});

it('idv reconcile refuses a window longer than the 30 days Stripe keeps events', async () => {
  await expect(
    run(process.execPath, [IDV_BIN, 'reconcile', '--since', '45d'], {
      env: { PATH: process.env.PATH ?? '' },
    }),
  ).rejects.toMatchObject({
    stderr: expect.stringMatching(/30 days at most/),
  });
});

it('idv reconcile --delivery-success false pulls only the events whose delivery failed', async () => {
  const own = await startEmulator({ port: 0, deliveryRetrySchedule: [] });
  try {
    const stripe = createStripeClient({
      secretKey: 'sk_test_reconcile',
      apiBase: own.url,
      maxNetworkRetries: 0,
    });
    // Created before any endpoint exists: nobody is owed it, so it counts as delivered.
    const before = await stripe.identity.verificationSessions.create({ type: 'document' });
    // Port 1 refuses connections: every delivery to this endpoint fails.
    await stripe.webhookEndpoints.create({
      url: 'http://127.0.0.1:1/webhooks/stripe',
      enabled_events: ['*'],
    });
    const missed = await stripe.identity.verificationSessions.create({ type: 'document' });
    await stripe.rawRequest(
      'POST',
      `/v1/test_helpers/identity/verification_sessions/${missed.id}/verify`,
      {},
    );
    await own.idle();
    const all = (await stripe.events.list({ limit: 100 })).data;
    const failed = all.filter((e) => e.pending_webhooks > 0).map((e) => e.id);
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(all.some((e) => (e.data.object as { id?: string }).id === before.id)).toBe(true);

    const dbPath = join(temp.dir, 'failed-only.db');
    const env = {
      PATH: process.env.PATH ?? '',
      IDV_DATABASE_URL: `sqlite:${dbPath}`,
      STRIPE_SECRET_KEY: 'sk_test_reconcile',
      STRIPE_API_BASE: own.url,
    };
    const args = [IDV_BIN, 'reconcile', '--since', '1h', '--delivery-success', 'false'];
    const result = await run(process.execPath, args, { env });
    expect(result.stdout).toMatch(new RegExp(`fetched ${failed.length} event\\(s\\), ${failed.length} new`));
    const store = new SqliteStore({ filename: dbPath });
    try {
      const page = await store.listEvents({ limit: 100 });
      expect(page.data.map((e) => e.id).sort()).toEqual([...failed].sort());
    } finally {
      await store.close();
    }
  } finally {
    await own.close();
  }
});

it('idv reconcile refuses a --delivery-success that is neither true nor false', async () => {
  await expect(
    run(process.execPath, [IDV_BIN, 'reconcile', '--delivery-success', 'maybe'], {
      env: { PATH: process.env.PATH ?? '' },
    }),
  ).rejects.toMatchObject({ stderr: expect.stringMatching(/delivery-success.*true or false/) });
});

it('idv reconcile on a terminal redraws one progress line in place, then prints its summary', async () => {
  const stripe = createStripeClient({ secretKey: 'sk_test_reconcile', apiBase: emulator.url });
  await stripe.identity.verificationSessions.create({ type: 'document' });
  const writes: string[] = [];
  const tty = { isTTY: true, columns: 120, write: (chunk: string) => writes.push(chunk) > 0 };
  const code = await main(['reconcile', '--since', '1h'], {
    env: {
      IDV_DATABASE_URL: `sqlite:${join(temp.dir, 'tty.db')}`,
      STRIPE_SECRET_KEY: 'sk_test_reconcile',
      STRIPE_API_BASE: emulator.url,
    },
    stdout: tty as unknown as NodeJS.WritableStream,
  });
  expect(code).toBe(0);
  const redraws = writes.filter((w) => w.startsWith('\r'));
  expect(redraws.length).toBeGreaterThanOrEqual(1);
  expect(redraws.every((w) => !w.includes('\n'))).toBe(true);
  expect(redraws.at(-1)).toMatch(/100% fetched \d+, new \d+, [\d.]+\/s/);
  const output = writes.join('');
  // The summary starts on a line of its own, right after the last redraw.
  expect(output.indexOf('\x1b[K\nDone: fetched ')).toBeGreaterThan(0);
});
