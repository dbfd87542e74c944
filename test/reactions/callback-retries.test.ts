import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxRecord } from '../../src/store/records.js';
import { ADMIN_TOKEN, WEBHOOK_SECRET, startTestService, type TestService } from '../helpers/service.js';
import { postSigned, sessionEvent, uniqueId } from '../helpers/stripe-events.js';
import { waitFor } from '../helpers/wait.js';
import { startCallbackReceiver, type CallbackReceiver } from './helpers.js';

const CALLBACK_SECRET = 'cb_secret_for_retry_tests';
const T0 = Math.floor(Date.now() / 1000) - 3600;

/** How the app answers, per subject: the test picks a behaviour by naming the subject. */
const behaviour = new Map<string, (nth: number) => number | 'hang'>();
let service: TestService;
let app: CallbackReceiver;

beforeAll(async () => {
  app = await startCallbackReceiver(
    CALLBACK_SECRET,
    (cb, nth) => behaviour.get(cb.body.subject?.ref ?? '')?.(nth) ?? 200,
  );
  service = await startTestService({
    IDV_CALLBACK_URL: app.url,
    IDV_CALLBACK_SECRET: CALLBACK_SECRET,
    IDV_CALLBACK_TIMEOUT_MS: '300',
    IDV_RETRY_SCHEDULE_MS: '50,50,50',
  });
});
afterAll(async () => {
  await service.stop();
  await app.close();
});

async function verifiedOutcome(ref: string): Promise<void> {
  const event = sessionEvent({
    type: 'identity.verification_session.verified',
    sessionId: uniqueId('vs'),
    subject: ref,
    created: T0,
  });
  expect((await postSigned(service.url, event, WEBHOOK_SECRET)).status).toBe(200);
}

function callbackRow(ref: string, until: (row: OutboxRecord) => boolean): Promise<OutboxRecord> {
  return waitFor(
    async () => {
      const rows = await service.store.listReactions({ subjectRef: ref, limit: 10 });
      const row = rows.find((r) => r.kind === 'callback');
      return row && until(row) ? row : undefined;
    },
    10_000,
    `callback row of ${ref}`,
  );
}

const admin = (path: string, init: RequestInit = {}) =>
  fetch(`${service.url}${path}`, { ...init, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });

describe('callback delivery and retries', () => {
  it('an endpoint that fails twice then succeeds gets the callback once, after three attempts', async () => {
    const ref = uniqueId('flaky');
    behaviour.set(ref, (nth) => (nth <= 2 ? 503 : 200));
    await verifiedOutcome(ref);
    const row = await callbackRow(ref, (r) => r.status === 'done');
    expect(row.attempts).toBe(3);
    expect(row.result).toMatch(/^HTTP 200/);
    const received = app.received.filter((c) => c.body.subject?.ref === ref);
    expect(received.map((c) => c.signatureValid)).toEqual([true, true, true]);
    // The same id and idempotency key on every try: the app dedupes on them.
    expect(new Set(received.map((c) => c.body.id)).size).toBe(1);
    expect(new Set(received.map((c) => c.headers['idempotency-key'])).size).toBe(1);
  });

  it('a timeout is retried like a 5xx', async () => {
    const ref = uniqueId('slow');
    behaviour.set(ref, (nth) => (nth === 1 ? 'hang' : 200));
    await verifiedOutcome(ref);
    const row = await callbackRow(ref, (r) => r.status === 'done');
    expect(row.attempts).toBe(2);
  });

  it('an endpoint that always fails is dead after the schedule, and a replay delivers it', async () => {
    const ref = uniqueId('down');
    let up = false;
    behaviour.set(ref, () => (up ? 200 : 500));
    await verifiedOutcome(ref);
    const deadRow = await callbackRow(ref, (r) => r.status === 'dead');
    expect(deadRow.attempts).toBe(4); // the first try and one per delay of 50,50,50
    expect(deadRow.lastError).toMatch(/^HTTP 500/);

    const listed = await admin(`/admin/api/reactions?status=dead&subject=${ref}`);
    const list = (await listed.json()) as { data: { id: number; status: string; last_error: string }[] };
    expect(list.data).toEqual([
      expect.objectContaining({
        id: deadRow.id,
        status: 'dead',
        last_error: expect.stringMatching(/^HTTP 500/),
      }),
    ]);

    up = true;
    const replay = await admin(`/admin/api/reactions/${deadRow.id}/replay`, { method: 'POST' });
    expect(replay.status).toBe(202);
    const delivered = await callbackRow(ref, (r) => r.status === 'done');
    expect(delivered.attempts).toBe(1);
    expect(app.received.filter((c) => c.body.subject?.ref === ref)).toHaveLength(5);
  });

  it('a 4xx other than 429 is dead at once, with the answer kept', async () => {
    const ref = uniqueId('refusing');
    behaviour.set(ref, () => 422);
    await verifiedOutcome(ref);
    const row = await callbackRow(ref, (r) => r.status === 'dead');
    expect(row.attempts).toBe(1);
    expect(row.result).toBe('HTTP 422: {"error":"refused with 422"}');
  });

  it('429 is retried', async () => {
    const ref = uniqueId('limited');
    behaviour.set(ref, (nth) => (nth === 1 ? 429 : 200));
    await verifiedOutcome(ref);
    expect((await callbackRow(ref, (r) => r.status === 'done')).attempts).toBe(2);
  });

  it('replaying a reaction that is not dead or failed answers 404', async () => {
    const res = await admin('/admin/api/reactions/999999/replay', { method: 'POST' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});

describe('without SMTP or a callback URL', () => {
  it('marks emails smtp_not_configured and callbacks callback_not_configured', async () => {
    const bare = await startTestService();
    try {
      const ref = uniqueId('user');
      const event = sessionEvent({
        type: 'identity.verification_session.verified',
        sessionId: uniqueId('vs'),
        subject: ref,
        email: 'a@example.test',
        created: T0,
      });
      expect((await postSigned(bare.url, event, WEBHOOK_SECRET)).status).toBe(200);
      const rows = await waitFor(async () => {
        const r = await bare.store.listReactions({ subjectRef: ref, limit: 10 });
        return r.length === 2 && r.every((x) => x.status === 'skipped') ? r : undefined;
      });
      expect(Object.fromEntries(rows.map((r) => [r.kind, r.result]))).toEqual({
        email: 'smtp_not_configured',
        callback: 'callback_not_configured',
      });
    } finally {
      await bare.stop();
    }
  });
});
