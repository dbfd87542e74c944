/**
 * The console's store contract, on every adapter: a `retry` decision (the case ends `retry_granted`, the
 * subject goes back to `retry_required` with one more attempt) and the verification-report cache.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, parseSessionEvent } from '../../src/domain/index.js';
import { eventApplication } from '../../src/outcomes/apply-event.js';
import { decideReview } from '../../src/outcomes/decide-review.js';
import type { Store } from '../../src/store/store.js';
import { sessionEvent } from '../helpers/stripe-events.js';
import { ADAPTERS, type TestDatabase } from './adapters.js';
import { T0, applyOne, newEvent, nextId } from './fixtures.js';

const LEGS = await Promise.all(
  ADAPTERS.map(async (adapter) => [adapter.name, adapter, await adapter.skip()] as const),
);

describe.each(LEGS)('%s store: console', (_name, adapter, skipReason) => {
  if (skipReason) {
    it.skip(`is skipped: ${skipReason}`, () => undefined);
    return;
  }
  let db: TestDatabase;
  let store: Store;
  beforeEach(async () => {
    db = await adapter.createDatabase();
    store = db.open();
    await store.migrate();
  });
  afterEach(async () => {
    await db.drop();
  });

  /** Stores and applies a failed submission of `vs` for `ref`, as the worker does. */
  async function fail(ref: string, vs: string, code: string, at: number) {
    const payload = sessionEvent({
      type: 'identity.verification_session.requires_input',
      sessionId: vs,
      subject: ref,
      code,
    });
    await store.insertEvent(
      newEvent({ id: payload.id as string, objectId: vs, payload: JSON.stringify(payload) }),
    );
    const [claim] = (await store.claimEvents({ owner: 'w', limit: 10, leaseMs: 60_000, now: at })).filter(
      (e) => e.id === payload.id,
    );
    const app = eventApplication(parseSessionEvent(JSON.parse(claim!.payload))!, DEFAULT_POLICY, at);
    expect(await applyOne(store, { eventId: claim!.id, owner: 'w', sessionId: vs }, app, at)).toBe('applied');
  }

  async function grant(ref: string, at: number) {
    const review = (await store.getSubject(ref))!.openReview!;
    const input = {
      reviewId: review.id,
      ref,
      decision: 'retry' as const,
      note: 'blurry, try again',
      actor: 'Ann',
      policy: DEFAULT_POLICY,
      now: at,
    };
    expect(await store.updateSubject(ref, (s) => decideReview(input, s), at)).toBe('decided');
    return review.id;
  }

  it('a retry decision closes the case as retry_granted and sends the subject back to retry_required', async () => {
    const ref = nextId('user');
    const vs = nextId('vs');
    await fail(ref, vs, 'selfie_manipulated', T0);
    expect((await store.getSubject(ref))!.subject.view.state).toBe('in_review');
    const id = await grant(ref, T0 + 5);

    expect(await store.getReview(id)).toMatchObject({
      status: 'retry_granted',
      note: 'blurry, try again',
      actor: 'Ann',
    });
    expect(await store.listReviews({ status: 'retry_granted', limit: 10 })).toHaveLength(1);
    const detail = (await store.getSubject(ref))!;
    expect(detail.openReview).toBeNull();
    expect(detail.subject.view.state).toBe('retry_required');
    expect(detail.subject.view.attempts).toEqual({
      used: 1,
      max: DEFAULT_POLICY.maxAttempts + 1,
      left: DEFAULT_POLICY.maxAttempts,
    });
    expect(detail.subject.manualDecision).toMatchObject({ decision: 'retry', grantedAttempts: 1 });
    expect(detail.history.at(-1)).toMatchObject({ from: 'in_review', to: 'retry_required', actor: 'Ann' });
    const topics = (await store.listReactions({ subjectRef: ref, limit: 20 })).map(
      (r) => `${r.kind}:${r.topic}`,
    );
    expect(topics).toContain('callback:verification.retry_required');
  });

  it('a second failure after a grant opens a new case, and grants add up', async () => {
    const ref = nextId('user');
    await fail(ref, nextId('vs'), 'selfie_manipulated', T0);
    const first = await grant(ref, T0 + 5);
    await fail(ref, nextId('vs'), 'selfie_manipulated', T0 + 10);
    const detail = (await store.getSubject(ref))!;
    expect(detail.subject.view.state).toBe('in_review');
    expect(detail.openReview?.id).not.toBe(first);
    await grant(ref, T0 + 20);
    const after = (await store.getSubject(ref))!.subject;
    expect(after.view).toMatchObject({
      state: 'retry_required',
      attempts: { used: 2, max: DEFAULT_POLICY.maxAttempts + 2 },
    });
  });

  it('caches a verification report by id and reads it back', async () => {
    expect(await store.getCachedReport('vr_missing')).toBeNull();
    const report = { id: 'vr_1', type: 'document', document: { status: 'verified', error: null } };
    await store.cacheReport({ id: 'vr_1', sessionId: 'vs_1', report, fetchedAt: T0 });
    await store.cacheReport({
      id: 'vr_1',
      sessionId: 'vs_1',
      report: { ...report, type: 'id_number' },
      fetchedAt: T0 + 1,
    });
    expect(await store.getCachedReport('vr_1')).toEqual({
      id: 'vr_1',
      sessionId: 'vs_1',
      report: { ...report, type: 'id_number' },
      fetchedAt: T0 + 1,
    });
  });

  it('pages reactions oldest first with startingAfter', async () => {
    const ref = nextId('user');
    await fail(ref, nextId('vs'), 'selfie_manipulated', T0);
    await grant(ref, T0 + 5);
    const all = await store.listReactions({ subjectRef: ref, limit: 100 });
    expect(all.length).toBeGreaterThanOrEqual(2);
    const first = await store.listReactions({ subjectRef: ref, limit: 1 });
    const rest = await store.listReactions({ subjectRef: ref, limit: 100, startingAfter: first[0]!.id });
    expect([...first, ...rest].map((r) => r.id)).toEqual(all.map((r) => r.id));
  });

  it('finds a console session until it expires or is signed out, and sweeps expired ones', async () => {
    await store.createConsoleSession({ id: 'h1', operatorId: 'op_1', createdAt: T0, expiresAt: T0 + 100 });
    await store.createConsoleSession({ id: 'h2', operatorId: 'op_2', createdAt: T0, expiresAt: T0 + 10 });
    expect(await store.findConsoleSession('h1', T0 + 1)).toEqual({
      id: 'h1',
      operatorId: 'op_1',
      createdAt: T0,
      expiresAt: T0 + 100,
    });
    expect(await store.findConsoleSession('h2', T0 + 10)).toBeNull();
    expect(await store.findConsoleSession('nope', T0)).toBeNull();
    await store.deleteConsoleSession('h1', T0 + 50);
    expect(await store.findConsoleSession('h1', T0 + 1)).toBeNull();
    expect(await db.rows('SELECT id FROM console_sessions')).toEqual([]);
  });
});
