/**
 * The compare_outputs reaction when Stripe cannot be reached (a real stripe-node call to a closed port, on a
 * real SQLite store): retried on the schedule while the subject stays `processing`, and on the last try
 * recorded as `unavailable` (reason `fetch_failed`), so the subject is never held forever: the policy's
 * `on_unavailable` decides (review by default) and the outcome is announced once.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, PENDING_MATCH, parseSessionEvent } from '../../src/domain/index.js';
import { eventApplication } from '../../src/outcomes/apply-event.js';
import { createCompareRunner } from '../../src/outcomes/compare-outputs.js';
import { EncryptingStore } from '../../src/store/encrypting-store.js';
import { PersonalDataCipher } from '../../src/store/personal-data-cipher.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { createStripeGateway } from '../../src/stripe/gateway.js';
import { applyOne, newEvent } from '../contract/fixtures.js';
import { sessionEvent, uniqueId } from '../helpers/stripe-events.js';
import { tempDir } from '../helpers/temp.js';

const temp = tempDir();
let store: Store;
const NOW = Date.now();

beforeAll(async () => {
  const raw = new SqliteStore({ filename: join(temp.dir, 'idv.db'), busyTimeoutMs: 5_000 });
  store = new EncryptingStore(raw, new PersonalDataCipher('f'.repeat(64)));
  await store.migrate();
});
afterAll(async () => {
  await store.close();
  temp.cleanup();
});

/** A session opened with expected data, then verified: the subject is held, a comparison is planned. */
async function verifiedWithExpected(ref: string, vs: string) {
  await store.updateSubject(
    ref,
    () => ({
      change: {
        sessions: [{ id: vs, subjectRef: ref, record: null }],
        subject: null,
        history: [],
        reactions: [],
        expectations: [
          {
            sessionId: vs,
            subjectRef: ref,
            account: null,
            match: PENDING_MATCH,
            expected: JSON.stringify({ last_name: 'Rosen' }),
          },
        ],
      },
      result: null,
    }),
    NOW,
  );
  const payload = sessionEvent({
    type: 'identity.verification_session.verified',
    sessionId: vs,
    subject: ref,
  });
  await store.insertEvent(
    newEvent({ id: payload.id as string, objectId: vs, payload: JSON.stringify(payload) }),
  );
  const app = eventApplication(parseSessionEvent(payload)!, DEFAULT_POLICY, NOW, { compareOutputs: true });
  await store.claimEvents({ owner: 'w', limit: 10, leaseMs: 60_000, now: NOW });
  expect(await applyOne(store, { eventId: payload.id as string, owner: 'w', sessionId: vs }, app, NOW)).toBe(
    'applied',
  );
}

describe('comparing when Stripe is unreachable', () => {
  it('retries, then records unavailable on the last try instead of holding the subject', async () => {
    const [ref, vs] = [uniqueId('user'), uniqueId('vs')];
    await verifiedWithExpected(ref, vs);
    expect((await store.getSubject(ref))!.subject.view.state).toBe('processing');
    const [row] = await store.claimReactions({ owner: 'd', limit: 10, leaseMs: 60_000, now: NOW });
    expect(row).toMatchObject({ kind: 'compare_outputs', sessionId: vs, attempts: 1 });
    expect((await store.listReactions({ subjectRef: ref, limit: 10 })).map((r) => r.kind)).toEqual([
      'compare_outputs',
    ]);

    const runner = createCompareRunner({
      store,
      stripe: createStripeGateway({
        secretKey: 'sk_test_unreachable',
        apiBase: 'http://127.0.0.1:1',
        maxNetworkRetries: 0,
        timeoutMs: 2_000,
      }),
      policy: DEFAULT_POLICY,
      clock: () => NOW,
      keepVerifiedOutputs: false,
      retryScheduleMs: [10, 10],
    });
    expect(await runner(row!)).toMatchObject({ outcome: 'retry', detail: 'stripe unreachable' });
    expect((await store.getSubject(ref))!.subject.view.state).toBe('processing');

    expect(await runner({ ...row!, attempts: 3 })).toEqual({ outcome: 'done', detail: 'match unavailable' });
    const detail = (await store.getSubject(ref))!;
    expect(detail.subject.view.state).toBe('in_review');
    expect(detail.subject.view.match).toMatchObject({
      status: 'unavailable',
      fields: { name: 'unavailable' },
      reason: 'fetch_failed',
    });
    expect(detail.history.at(-1)!.reason).toBe(
      'verified_data_unavailable: name (fetch_failed) (session ' + vs + ')',
    );
    expect(detail.openReview).not.toBeNull();
    const kinds = (await store.listReactions({ subjectRef: ref, limit: 10 })).map(
      (r) => `${r.kind}:${r.topic}`,
    );
    expect(kinds.sort()).toEqual([
      'callback:verification.needs_review',
      'compare_outputs:verified_outputs',
      'email:in_review',
    ]);
    // A second run (a replay) changes nothing.
    expect(await runner({ ...row!, attempts: 1 })).toEqual({
      outcome: 'skipped',
      detail: 'already_compared',
    });
  });
});
