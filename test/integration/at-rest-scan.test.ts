/**
 * With a key, no personal value is left readable in the SQLite file, its WAL, or its free pages after a
 * realistic flow: a session opened with the user's email, Stripe events carrying it, a review decided by a
 * named operator with a note, an export, then the session redacted. The scan reads the raw bytes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { startEmulator, type Emulator } from '@idv-outcomes/emulator';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  API_TOKEN,
  WEBHOOK_SECRET,
  startTestService,
  type TestService,
} from '../helpers/service.js';
import { postSigned, sessionEvent } from '../helpers/stripe-events.js';
import { waitFor } from '../helpers/wait.js';

const KEY = 'c'.repeat(64);
const SECRETS = {
  email: 'scan.person@example.org',
  otherEmail: 'scan.stripe.copy@example.org',
  note: 'spoke to Ms Scanperson on the phone',
  operator: 'Quentin Scanoperator',
};

let emulator: Emulator;
let service: TestService;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, host: '127.0.0.1', redactionDelayMs: 10 });
  service = await startTestService({
    IDV_ENCRYPTION_KEY: KEY,
    STRIPE_SECRET_KEY: 'sk_test_idv_scan',
    STRIPE_API_BASE: emulator.url,
  });
});
afterAll(async () => {
  await service.stop();
  await emulator.close();
});

const call = (method: string, path: string, token: string, body?: unknown) =>
  fetch(`${service.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'idv-actor': SECRETS.operator,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

async function deliver(event: Record<string, unknown>): Promise<void> {
  expect((await postSigned(service.url, event, WEBHOOK_SECRET)).status).toBe(200);
  await waitFor(async () =>
    (await service.store.getEvent(event.id as string))?.status === 'processed' ? true : undefined,
  );
}

it('finds no personal value in the database file, its WAL or its free pages', async () => {
  const ref = 'scan_user';
  const opened = await call('POST', `/v1/subjects/${ref}/sessions`, API_TOKEN, { email: SECRETS.email });
  expect(opened.status).toBe(201);
  const sessionId = ((await opened.json()) as { session_id: string }).session_id;
  const failed = { type: 'identity.verification_session.requires_input', sessionId, subject: ref };
  await deliver(sessionEvent({ ...failed, code: 'selfie_manipulated', email: SECRETS.otherEmail }));
  const review = await waitFor(async () => (await service.store.getSubject(ref))?.openReview ?? undefined);
  const decided = await call('POST', `/admin/api/reviews/${review.id}/decision`, ADMIN_TOKEN, {
    decision: 'approve',
    note: SECRETS.note,
  });
  expect(decided.status).toBe(200);
  expect((await call('GET', `/v1/subjects/${ref}/export`, API_TOKEN)).status).toBe(200);
  await deliver(sessionEvent({ type: 'identity.verification_session.redacted', sessionId, subject: ref }));

  // Everything still reads through the service.
  expect(await service.store.listReviews({ subjectRef: ref, limit: 5 })).toMatchObject([
    { note: SECRETS.note, actor: SECRETS.operator },
  ]);

  const bytes = ['', '-wal']
    .map((suffix) => `${service.dbPath}${suffix}`)
    .filter((path) => existsSync(path))
    .map((path) => readFileSync(path).toString('latin1'));
  expect(bytes.length).toBeGreaterThan(0);
  for (const [name, value] of Object.entries(SECRETS)) {
    for (const file of bytes) expect(file.includes(value), `${name} found in clear`).toBe(false);
  }
});
