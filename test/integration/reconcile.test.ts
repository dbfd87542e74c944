import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@idv-outcomes/emulator';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { createStripeClient } from '../../src/stripe/client.js';
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
