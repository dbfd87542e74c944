/**
 * The Store contract: every behaviour of src/store/store.ts, asserted identically against every adapter
 * (DESIGN.md "Storage"). An adapter passes only if these pass unchanged; a skipped leg says why.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, parseSessionEvent } from '../../src/domain/index.js';
import { isIdvError } from '../../src/errors.js';
import type { Store, SubjectSnapshot } from '../../src/store/store.js';
import { eventApplication } from '../../src/outcomes/apply-event.js';
import { sessionEvent } from '../helpers/stripe-events.js';
import { ADAPTERS, type TestDatabase } from './adapters.js';
import {
  T0,
  applyOne,
  announcements,
  application,
  newEvent,
  nextId,
  reaction,
  sessionRecord,
  subjectChange,
  subjectView,
  NO_FACTS,
} from './fixtures.js';

const LEGS = await Promise.all(
  ADAPTERS.map(async (adapter) => [adapter.name, adapter, await adapter.skip()] as const),
);
const LEASE = 30_000;

describe.each(LEGS)('%s store', (_name, adapter, skipReason) => {
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

  /** Inserts an event and claims it for `owner`. */
  async function claimed(owner: string, overrides: Parameters<typeof newEvent>[0] = {}) {
    const event = newEvent(overrides);
    await store.insertEvent(event);
    const [claim] = await store.claimEvents({ owner, limit: 1, leaseMs: LEASE, now: event.receivedAt });
    expect(claim?.id).toBe(event.id);
    return claim!;
  }

  describe('migrations', () => {
    it('applies every migration once, then finds nothing to do', async () => {
      const fresh = await adapter.createDatabase();
      try {
        const first = await fresh.open().migrate();
        expect(first.applied).toEqual([
          '001-inbox',
          '002-outcomes',
          '003-claim-order',
          '004-outbox-status',
          '005-privacy',
          '006-operators',
          '007-expectations',
          '008-console',
          '009-insights',
          '010-stats-columns',
        ]);
        expect((await fresh.open().migrate()).applied).toEqual([]);
      } finally {
        await fresh.drop();
      }
    });

    it('two processes migrating an empty database at once apply each migration exactly once', async () => {
      const fresh = await adapter.createDatabase();
      try {
        const results = await Promise.all([1, 2, 3].map(() => fresh.open().migrate()));
        expect(results.flatMap((r) => r.applied).sort()).toEqual([
          '001-inbox',
          '002-outcomes',
          '003-claim-order',
          '004-outbox-status',
          '005-privacy',
          '006-operators',
          '007-expectations',
          '008-console',
          '009-insights',
          '010-stats-columns',
        ]);
        const again = fresh.open();
        expect(await again.insertEvent(newEvent())).toEqual({ inserted: true });
      } finally {
        await fresh.drop();
      }
    });

    it('refuses a database migrated by a newer idv with migration_newer_than_code', async () => {
      await db.exec(
        `INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from-the-future', 0)`,
      );
      const err = await db
        .open()
        .migrate()
        .catch((e: unknown) => e);
      expect(isIdvError(err, 'migration_newer_than_code')).toBe(true);
    });

    it('answers ping once migrated', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });

  describe('inbox: insert, get, list', () => {
    it('stores a new event once; the same id again is a duplicate', async () => {
      const event = newEvent();
      expect(await store.insertEvent(event)).toEqual({ inserted: true });
      expect(await store.insertEvent({ ...event, type: 'changed' })).toEqual({ inserted: false });
      expect(await store.getEvent(event.id)).toEqual({
        id: event.id,
        type: event.type,
        livemode: false,
        created: 1_700_000_000,
        objectId: event.objectId,
        status: 'pending',
        ignoredReason: null,
        attempts: 0,
        receivedAt: T0,
        processedAt: null,
        lastError: null,
        subjectRef: null,
      });
      expect(await store.getEvent('evt_missing')).toBeNull();
      expect(await store.getEventPayload(event.id)).toBe(event.payload);
      expect(await store.getEventPayload('evt_missing')).toBeNull();
    });

    it('stores an ignored event as processed at its arrival, with the reason', async () => {
      const event = newEvent({ status: 'ignored', ignoredReason: 'unhandled_type', livemode: true });
      await store.insertEvent(event);
      expect(await store.getEvent(event.id)).toMatchObject({
        status: 'ignored',
        ignoredReason: 'unhandled_type',
        livemode: true,
        processedAt: T0,
      });
    });

    it('purges processed and ignored events older than the cut-off, in batches, and keeps the rest', async () => {
      const old = T0 - 40 * 86_400_000;
      const oldIgnored = Array.from({ length: 3 }, () =>
        newEvent({ status: 'ignored', ignoredReason: 'unhandled_type', receivedAt: old }),
      );
      const oldPending = newEvent({ receivedAt: old });
      const fresh = newEvent({ status: 'ignored', ignoredReason: 'unhandled_type' });
      for (const e of [...oldIgnored, oldPending, fresh]) await store.insertEvent(e);
      const cutOff = T0 - 30 * 86_400_000;
      expect(await store.purgeEvents(cutOff, 2)).toBe(2);
      expect(await store.purgeEvents(cutOff, 2)).toBe(1);
      expect(await store.purgeEvents(cutOff, 2)).toBe(0);
      for (const e of oldIgnored) expect(await store.getEvent(e.id)).toBeNull();
      expect(await store.getEvent(oldPending.id)).toMatchObject({ status: 'pending' });
      expect(await store.getEvent(fresh.id)).toMatchObject({ status: 'ignored' });
    });

    it('counts the backlog: pending, failed and dead events and reactions', async () => {
      expect(await store.countBacklog()).toEqual({
        events: { pending: 0, failed: 0, dead: 0 },
        reactions: { pending: 0, failed: 0, dead: 0 },
      });
      const doomed = await claimed('w1');
      await store.failEvent({ id: doomed.id, owner: 'w1', error: 'x', now: T0, retryAt: null });
      await store.insertEvent(newEvent());
      await store.insertEvent(newEvent({ status: 'ignored', ignoredReason: 'unhandled_type' }));
      expect((await store.countBacklog()).events).toEqual({ pending: 1, failed: 0, dead: 1 });
    });

    it('answers concurrent deliveries of one id (one group-commit batch) with exactly one insert', async () => {
      const event = newEvent();
      const others = Array.from({ length: 20 }, () => newEvent());
      const results = await Promise.all([
        ...Array.from({ length: 5 }, () => store.insertEvent(event)),
        ...others.map((e) => store.insertEvent(e)),
      ]);
      expect(results.slice(0, 5).filter((r) => r.inserted)).toHaveLength(1);
      expect(results.slice(5).every((r) => r.inserted)).toBe(true);
      expect((await store.listEvents({ limit: 100 })).data).toHaveLength(21);
    });

    it('lists newest first, pages with startingAfter and hasMore, and filters by status', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const e = newEvent({
          receivedAt: T0 + i,
          ...(i === 2 ? { status: 'ignored', ignoredReason: 'x' } : {}),
        });
        ids.push(e.id);
        await store.insertEvent(e);
      }
      // Same arrival time: the larger id is the newer.
      const tieA = newEvent({ id: 'evt_tie_a', receivedAt: T0 + 10 });
      const tieB = newEvent({ id: 'evt_tie_b', receivedAt: T0 + 10 });
      await store.insertEvent(tieB);
      await store.insertEvent(tieA);

      const first = await store.listEvents({ limit: 3 });
      expect(first.data.map((e) => e.id)).toEqual(['evt_tie_b', 'evt_tie_a', ids[4]]);
      expect(first.hasMore).toBe(true);
      const second = await store.listEvents({ limit: 3, startingAfter: ids[4] });
      expect(second.data.map((e) => e.id)).toEqual([ids[3], ids[2], ids[1]]);
      expect(second.hasMore).toBe(true);
      const last = await store.listEvents({ limit: 3, startingAfter: ids[1] });
      expect(last).toEqual({ data: [expect.objectContaining({ id: ids[0] })], hasMore: false });

      const pending = await store.listEvents({ status: 'pending', limit: 10 });
      expect(pending.data.map((e) => e.id)).toEqual([
        'evt_tie_b',
        'evt_tie_a',
        ids[4],
        ids[3],
        ids[1],
        ids[0],
      ]);
      const ignored = await store.listEvents({ status: 'ignored', limit: 10 });
      expect(ignored).toEqual({ data: [expect.objectContaining({ id: ids[2] })], hasMore: false });
      expect(await store.listEvents({ limit: 10, startingAfter: 'evt_unknown' })).toEqual({
        data: [],
        hasMore: false,
      });
    });
  });

  describe('inbox: claims and leases', () => {
    it('claims due pending events oldest first with a lease, and never ignored ones', async () => {
      const a = newEvent({ receivedAt: T0 + 1 });
      const b = newEvent({ receivedAt: T0 });
      const ignored = newEvent({ receivedAt: T0, status: 'ignored', ignoredReason: 'x' });
      for (const e of [a, b, ignored]) await store.insertEvent(e);
      const claims = await store.claimEvents({ owner: 'w1', limit: 10, leaseMs: LEASE, now: T0 + 5 });
      expect(claims.map((c) => c.id)).toEqual([b.id, a.id]);
      expect(claims[0]).toMatchObject({
        status: 'pending',
        attempts: 1,
        leaseOwner: 'w1',
        payload: b.payload,
      });
      // Still pending (a leased event is shown as pending), with the attempt counted.
      expect(await store.getEvent(b.id)).toMatchObject({ status: 'pending', attempts: 1 });
    });

    it('does not claim an event that arrives after `now`', async () => {
      await store.insertEvent(newEvent({ receivedAt: T0 + 1_000 }));
      expect(await store.claimEvents({ owner: 'w1', limit: 10, leaseMs: LEASE, now: T0 })).toEqual([]);
    });

    it('never gives one event to two owners while the lease holds; an expired lease is claimed again', async () => {
      const event = newEvent();
      await store.insertEvent(event);
      expect(await store.claimEvents({ owner: 'w1', limit: 10, leaseMs: LEASE, now: T0 })).toHaveLength(1);
      expect(
        await store.claimEvents({ owner: 'w2', limit: 10, leaseMs: LEASE, now: T0 + LEASE - 1 }),
      ).toEqual([]);
      const retaken = await store.claimEvents({ owner: 'w2', limit: 10, leaseMs: LEASE, now: T0 + LEASE });
      expect(retaken).toEqual([expect.objectContaining({ id: event.id, leaseOwner: 'w2', attempts: 2 })]);
    });

    it('splits concurrent claims by two processes into disjoint sets', async () => {
      const other = db.open();
      const events = Array.from({ length: 40 }, (_, i) => newEvent({ receivedAt: T0 + i }));
      await Promise.all(events.map((e) => store.insertEvent(e)));
      const rounds = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 ? other : store).claimEvents({ owner: `w${i}`, limit: 7, leaseMs: LEASE, now: T0 + 100 }),
        ),
      );
      const ids = rounds.flat().map((c) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.sort()).toEqual(events.map((e) => e.id).sort());
    });

    it('failEvent records the error and a retry time, then dead once retries are used up', async () => {
      const claim = await claimed('w1');
      await store.failEvent({ id: claim.id, owner: 'w1', error: 'boom', now: T0 + 1, retryAt: T0 + 1_000 });
      expect(await store.getEvent(claim.id)).toMatchObject({
        status: 'failed',
        lastError: 'boom',
        attempts: 1,
      });
      expect(await store.claimEvents({ owner: 'w1', limit: 10, leaseMs: LEASE, now: T0 + 999 })).toEqual([]);
      const again = await store.claimEvents({ owner: 'w2', limit: 10, leaseMs: LEASE, now: T0 + 1_000 });
      expect(again).toEqual([expect.objectContaining({ id: claim.id, attempts: 2, status: 'pending' })]);
      await store.failEvent({
        id: claim.id,
        owner: 'w2',
        error: 'boom again',
        now: T0 + 1_001,
        retryAt: null,
      });
      expect(await store.getEvent(claim.id)).toMatchObject({ status: 'dead', lastError: 'boom again' });
      expect(await store.claimEvents({ owner: 'w3', limit: 10, leaseMs: LEASE, now: T0 + 10 ** 9 })).toEqual(
        [],
      );
    });

    it('ignores failEvent from an owner that no longer holds the lease', async () => {
      const claim = await claimed('w1');
      await store.failEvent({ id: claim.id, owner: 'intruder', error: 'x', now: T0, retryAt: null });
      expect(await store.getEvent(claim.id)).toMatchObject({ status: 'pending', lastError: null });
    });

    it('requeues dead events, or the given processed/failed/dead ones, as fresh pending events', async () => {
      const dead = await claimed('w1');
      await store.failEvent({ id: dead.id, owner: 'w1', error: 'x', now: T0, retryAt: null });
      const failed = await claimed('w1');
      await store.failEvent({ id: failed.id, owner: 'w1', error: 'y', now: T0, retryAt: T0 + 10 ** 6 });
      const pending = newEvent();
      await store.insertEvent(pending);

      expect(await store.requeueEvents({ status: 'dead' }, T0 + 5)).toBe(1);
      expect(await store.getEvent(dead.id)).toMatchObject({
        status: 'pending',
        attempts: 0,
        processedAt: null,
      });
      expect(await store.requeueEvents({ ids: [failed.id, pending.id, 'evt_missing'] }, T0 + 5)).toBe(1);
      const due = await store.claimEvents({ owner: 'w2', limit: 10, leaseMs: LEASE, now: T0 + 5 });
      expect(due.map((c) => c.id).sort()).toEqual([dead.id, failed.id, pending.id].sort());
    });
  });

  describe('applyEvent', () => {
    it('writes session, subject, history, outbox and review in one go and marks the event processed', async () => {
      const claim = await claimed('w1');
      const ref = nextId('user');
      const vs = nextId('vs');
      const app = application(
        ref,
        subjectChange(
          ref,
          vs,
          'in_review',
          [
            reaction('email', ref, `email:${ref}:in_review`, 'in_review'),
            reaction('callback', ref, `cb:${ref}:in_review`, 'verification.needs_review'),
            reaction('review_case', ref, `review:${ref}:1`),
          ],
          {},
          T0 + 7,
        ),
      );
      expect(await applyOne(store, { eventId: claim.id, owner: 'w1', sessionId: vs }, app, T0 + 7)).toBe(
        'applied',
      );
      expect(app.seen).toEqual([{ stored: null, sessions: 0 }]);

      expect(await store.getEvent(claim.id)).toMatchObject({
        status: 'processed',
        processedAt: T0 + 7,
        lastError: null,
      });
      const detail = await store.getSubject(ref);
      expect(detail).toMatchObject({
        subject: {
          ref,
          view: { state: 'in_review' },
          manualDecision: null,
          announcements: { last: null, counts: { 'in_review:x': 1 } },
          email: null,
          createdAt: T0 + 7,
          updatedAt: T0 + 7,
        },
        sessions: [{ id: vs, subjectRef: ref, record: { id: vs, status: 'in_review' } }],
        openReview: {
          subjectRef: ref,
          status: 'open',
          topic: 'review',
          reason: 'because in_review',
          openedAt: T0 + 7,
        },
        history: [
          {
            at: T0 + 7,
            from: null,
            to: 'in_review',
            eventId: 'evt_cause',
            reason: 'because in_review',
            decision: 'latest:test',
            actor: null,
          },
        ],
      });
      const outbox = await store.listReactions({ subjectRef: ref, limit: 10 });
      expect(outbox.map((r) => [r.kind, r.topic, r.status, r.attempts, r.nextAttemptAt])).toEqual([
        ['email', 'in_review', 'pending', 0, T0 + 7],
        ['callback', 'verification.needs_review', 'pending', 0, T0 + 7],
      ]);
      expect(outbox[0]?.reaction).toMatchObject({ kind: 'email', idempotencyKey: `email:${ref}:in_review` });
      expect(typeof outbox[0]?.id).toBe('number');
      // Domain JSON comes back exactly as written, key order included, so every reader sees the same document.
      expect(JSON.stringify(detail?.subject.view)).toBe(JSON.stringify(subjectView(ref, 'in_review')));
      expect(JSON.stringify(detail?.sessions[0]?.record)).toBe(
        JSON.stringify(sessionRecord(vs, ref, 'in_review')),
      );
      expect((await store.listReviews({ status: 'open', limit: 10 })).map((r) => r.subjectRef)).toEqual([
        ref,
      ]);
    });

    it('shows decide the stored session and every session of the subject', async () => {
      const ref = nextId('user');
      const [vs1, vs2] = [nextId('vs'), nextId('vs')];
      const first = await claimed('w1');
      await applyOne(
        store,
        { eventId: first.id, owner: 'w1', sessionId: vs1 },
        application(ref, subjectChange(ref, vs1, 'processing')),
        T0,
      );
      const second = await claimed('w1');
      const app = application(ref, subjectChange(ref, vs2, 'verified'));
      await applyOne(store, { eventId: second.id, owner: 'w1', sessionId: vs2 }, app, T0 + 1);
      const third = await claimed('w1');
      const again = application(ref, subjectChange(ref, vs1, 'verified'));
      await applyOne(store, { eventId: third.id, owner: 'w1', sessionId: vs1 }, again, T0 + 2);
      expect(app.seen).toEqual([{ stored: null, sessions: 1 }]);
      expect(again.seen).toEqual([
        { stored: { id: vs1, subjectRef: ref, record: sessionRecord(vs1, ref, 'processing') }, sessions: 2 },
      ]);
      const detail = await store.getSubject(ref);
      expect(detail?.sessions.map((s) => s.id)).toEqual([vs1, vs2].sort());
      expect(detail?.history).toHaveLength(3);
    });

    it('writes nothing and answers lease_lost when another worker took the event over', async () => {
      const event = newEvent();
      await store.insertEvent(event);
      await store.claimEvents({ owner: 'w1', limit: 1, leaseMs: LEASE, now: T0 });
      await store.claimEvents({ owner: 'w2', limit: 1, leaseMs: LEASE, now: T0 + LEASE });
      const ref = nextId('user');
      const vs = nextId('vs');
      const change = subjectChange(ref, vs, 'verified', [reaction('email', ref, `k:${ref}`)]);
      expect(
        await applyOne(
          store,
          { eventId: event.id, owner: 'w1', sessionId: vs },
          application(ref, change),
          T0 + LEASE + 1,
        ),
      ).toBe('lease_lost');
      expect(await store.getSubject(ref)).toBeNull();
      expect(await store.listReactions({ subjectRef: ref, limit: 10 })).toEqual([]);
      expect(await store.getEvent(event.id)).toMatchObject({ status: 'pending' });
      // The new owner still can.
      expect(
        await applyOne(
          store,
          { eventId: event.id, owner: 'w2', sessionId: vs },
          application(ref, change),
          T0 + LEASE + 2,
        ),
      ).toBe('applied');
    });

    it('leaves nothing written when decide throws, and the event can be retried', async () => {
      const claim = await claimed('w1');
      const ref = nextId('user');
      const vs = nextId('vs');
      const err = await applyOne(
        store,
        { eventId: claim.id, owner: 'w1', sessionId: vs },
        {
          resolveSubject: () => ref,
          decide: () => {
            throw new Error('policy exploded');
          },
        },
        T0,
      ).catch((e: unknown) => e);
      expect((err as Error).message).toBe('policy exploded');
      expect(await store.getSubject(ref)).toBeNull();
      expect(await store.getEvent(claim.id)).toMatchObject({ status: 'pending' });
      await store.failEvent({ id: claim.id, owner: 'w1', error: 'policy exploded', now: T0, retryAt: T0 });
      expect(await store.claimEvents({ owner: 'w2', limit: 1, leaseMs: LEASE, now: T0 })).toHaveLength(1);
    });

    it('applies a batch: a failing event and a lost lease leave the others applied', async () => {
      const good = await claimed('w1');
      const bad = await claimed('w1');
      const stolen = await claimed('w1');
      await store.failEvent({ id: stolen.id, owner: 'w1', error: 'x', now: T0, retryAt: T0 });
      await store.claimEvents({ owner: 'w2', limit: 10, leaseMs: LEASE, now: T0 + 1 });
      const [refGood, refBad] = [nextId('user'), nextId('user')];
      const [vsGood, vsBad] = [nextId('vs'), nextId('vs')];
      const outcomes = await store.applyEvents(
        [
          {
            claim: { eventId: good.id, owner: 'w1', sessionId: vsGood },
            application: application(refGood, subjectChange(refGood, vsGood, 'verified')),
          },
          {
            claim: { eventId: bad.id, owner: 'w1', sessionId: vsBad },
            application: {
              resolveSubject: () => refBad,
              decide: () => {
                throw new Error('policy exploded');
              },
            },
          },
          {
            claim: { eventId: stolen.id, owner: 'w1', sessionId: vsBad },
            application: application(refBad, subjectChange(refBad, vsBad, 'verified')),
          },
        ],
        T0 + 2,
      );
      expect(outcomes[0]).toBe('applied');
      expect((outcomes[1] as { error: Error }).error.message).toBe('policy exploded');
      expect(outcomes[2]).toBe('lease_lost');
      expect(await store.getEvent(good.id)).toMatchObject({ status: 'processed' });
      expect((await store.getSubject(refGood))?.subject.view.state).toBe('verified');
      expect(await store.getEvent(bad.id)).toMatchObject({ status: 'pending' });
      expect(await store.getSubject(refBad)).toBeNull();
    });

    it("names the subject of an event's session once the session is linked", async () => {
      const ref = nextId('user');
      const vs = nextId('vs');
      const claim = await claimed('w1', { objectId: vs });
      const other = newEvent({ objectId: nextId('vs') });
      await store.insertEvent(other);
      expect(await store.getEvent(claim.id)).toMatchObject({ objectId: vs, subjectRef: null });
      const app = application(ref, subjectChange(ref, vs, 'processing', [], {}, T0 + 1));
      expect(await applyOne(store, { eventId: claim.id, owner: 'w1', sessionId: vs }, app, T0 + 1)).toBe(
        'applied',
      );
      expect(await store.getEvent(claim.id)).toMatchObject({ objectId: vs, subjectRef: ref });
      const listed = (await store.listEvents({ limit: 10 })).data;
      expect(listed.find((e) => e.id === claim.id)).toMatchObject({ subjectRef: ref });
      expect(listed.find((e) => e.id === other.id)).toMatchObject({ subjectRef: null });
    });

    it('keeps an unlinked session (no subject) for operators', async () => {
      const claim = await claimed('w1');
      const vs = nextId('vs');
      const app = application(null, {
        sessions: [{ id: vs, subjectRef: null, record: sessionRecord(vs, null, 'verified') }],
        subject: null,
        history: [],
        reactions: [],
      });
      expect(await applyOne(store, { eventId: claim.id, owner: 'w1', sessionId: vs }, app, T0)).toBe(
        'applied',
      );
      expect(app.seen).toEqual([{ stored: null, sessions: null }]);
      expect(await store.listUnlinkedSessions(10)).toEqual([
        { id: vs, subjectRef: null, record: sessionRecord(vs, null, 'verified') },
      ]);
    });

    it('keeps the first subject of a session and its record when a change carries none', async () => {
      const vs = nextId('vs');
      const ref = nextId('user');
      await store.updateSubject(
        ref,
        () => ({
          change: {
            sessions: [{ id: vs, subjectRef: ref, record: null }],
            subject: null,
            history: [],
            reactions: [],
          },
          result: 0,
        }),
        T0,
      );
      await store.updateSubject(
        ref,
        () => ({
          change: {
            sessions: [{ id: vs, subjectRef: 'someone_else', record: sessionRecord(vs, ref, 'processing') }],
            subject: null,
            history: [],
            reactions: [],
          },
          result: 0,
        }),
        T0,
      );
      await store.updateSubject(
        ref,
        () => ({
          change: {
            sessions: [{ id: vs, subjectRef: null, record: null }],
            subject: null,
            history: [],
            reactions: [],
          },
          result: 0,
        }),
        T0,
      );
      const snapshot = await store.updateSubject(ref, (s) => ({ change: null, result: s }), T0);
      expect(snapshot.sessions).toEqual([
        { id: vs, subjectRef: ref, record: sessionRecord(vs, ref, 'processing') },
      ]);
    });

    it('folds a real Identity event through the worker application (document_expired → retry_required)', async () => {
      const ref = nextId('user');
      const vs = nextId('vs');
      const payload = sessionEvent({
        type: 'identity.verification_session.requires_input',
        sessionId: vs,
        subject: ref,
        code: 'document_expired',
      });
      const claim = await claimed('w1', { id: payload.id as string, payload: JSON.stringify(payload) });
      const parsed = parseSessionEvent(JSON.parse(claim.payload))!;
      const app = eventApplication(parsed, DEFAULT_POLICY, T0);
      expect(await applyOne(store, { eventId: claim.id, owner: 'w1', sessionId: vs }, app, T0)).toBe(
        'applied',
      );
      const detail = await store.getSubject(ref);
      expect(detail?.subject.view).toMatchObject({ state: 'retry_required', attempts: { used: 1 } });
      expect(detail?.sessions[0]?.record).toMatchObject({
        id: vs,
        status: 'requires_input',
        lastError: { code: 'document_expired' },
      });
      expect((await store.listReactions({ subjectRef: ref, limit: 10 })).length).toBeGreaterThan(0);
    });
    it('strips the personal fields of every stored event of a session once it is redacted', async () => {
      const ref = nextId('user');
      const vs = nextId('vs');
      const fold = async (spec: Parameters<typeof sessionEvent>[0]) => {
        const payload = sessionEvent({ sessionId: vs, subject: ref, ...spec });
        const claim = await claimed('w1', {
          id: payload.id as string,
          objectId: vs,
          payload: JSON.stringify(payload),
        });
        const app = eventApplication(parseSessionEvent(JSON.parse(claim.payload))!, DEFAULT_POLICY, T0);
        expect(await applyOne(store, { eventId: claim.id, owner: 'w1', sessionId: vs }, app, T0)).toBe(
          'applied',
        );
        return claim.id;
      };
      const failed = await fold({
        type: 'identity.verification_session.requires_input',
        code: 'document_expired',
        email: 'jane.doe@example.com',
      });
      expect(await store.getSubject(ref)).toMatchObject({ subject: { email: 'jane.doe@example.com' } });
      const redacted = await fold({ type: 'identity.verification_session.redacted' });

      expect(await store.requeueEvents({ ids: [failed, redacted] }, T0 + 1)).toBe(2);
      const stored = await store.claimEvents({ owner: 'w2', limit: 10, leaseMs: LEASE, now: T0 + 1 });
      expect(stored.map((e) => e.id).sort()).toEqual([failed, redacted].sort());
      for (const event of stored) {
        expect(event.payload).not.toContain('jane.doe@example.com');
        expect(event.payload).not.toContain(ref);
        // What the worker folds is still there.
        expect(parseSessionEvent(JSON.parse(event.payload))?.session.id).toBe(vs);
      }
    });
  });

  describe('processDueEvents (the worker round)', () => {
    it('applies due events in one round, oldest first, each marked processed after one attempt', async () => {
      const [first, second] = [newEvent({ receivedAt: T0 }), newEvent({ receivedAt: T0 + 1 })];
      await store.insertEvent(second);
      await store.insertEvent(first);
      const refs = new Map([first, second].map((e) => [e.id, nextId('user')]));
      const results = await store.processDueEvents(
        { owner: 'w1', limit: 10, leaseMs: LEASE, now: T0 + 5 },
        (event) => {
          const ref = refs.get(event.id)!;
          const vs = nextId('vs');
          return {
            claim: { eventId: event.id, owner: 'w1', sessionId: vs },
            application: application(ref, subjectChange(ref, vs, 'verified')),
          };
        },
      );
      expect(results.map((r) => [r.event.id, r.event.attempts, r.outcome])).toEqual([
        [first.id, 1, 'applied'],
        [second.id, 1, 'applied'],
      ]);
      for (const e of [first, second]) {
        expect(await store.getEvent(e.id)).toMatchObject({ status: 'processed', attempts: 1 });
        expect((await store.getSubject(refs.get(e.id)!))?.subject.view.state).toBe('verified');
      }
      const again = await store.processDueEvents(
        { owner: 'w2', limit: 10, leaseMs: LEASE, now: T0 + 6 },
        () => {
          throw new Error('nothing is due, so nothing is prepared');
        },
      );
      expect(again).toEqual([]);
    });

    it('an event that cannot be prepared or applied fails alone, left to failEvent; the rest are applied', async () => {
      const [good, unparsable, exploding] = [
        newEvent({ receivedAt: T0 }),
        newEvent({ receivedAt: T0 + 1 }),
        newEvent({ receivedAt: T0 + 2 }),
      ];
      for (const e of [good, unparsable, exploding]) await store.insertEvent(e);
      const ref = nextId('user');
      const vs = nextId('vs');
      const results = await store.processDueEvents(
        { owner: 'w1', limit: 10, leaseMs: LEASE, now: T0 + 5 },
        (event) => {
          if (event.id === unparsable.id) throw new Error('stored payload is not an event');
          const claim = { eventId: event.id, owner: 'w1', sessionId: vs };
          if (event.id === good.id)
            return { claim, application: application(ref, subjectChange(ref, vs, 'verified')) };
          return {
            claim,
            application: {
              resolveSubject: () => nextId('user'),
              decide: () => {
                throw new Error('policy exploded');
              },
            },
          };
        },
      );
      const outcome = (id: string) => results.find((r) => r.event.id === id)?.outcome;
      expect(outcome(good.id)).toBe('applied');
      expect((outcome(unparsable.id) as { unprepared: Error }).unprepared.message).toBe(
        'stored payload is not an event',
      );
      expect((outcome(exploding.id) as { error: Error }).error.message).toBe('policy exploded');
      expect(await store.getEvent(good.id)).toMatchObject({ status: 'processed' });
      expect((await store.getSubject(ref))?.subject.view.state).toBe('verified');
      // Both failures are still leased to w1, so its failEvent records them; no other worker takes them.
      expect(await store.claimEvents({ owner: 'w2', limit: 10, leaseMs: LEASE, now: T0 + 6 })).toEqual([]);
      for (const e of [unparsable, exploding]) {
        await store.failEvent({ id: e.id, owner: 'w1', error: 'x', now: T0 + 6, retryAt: T0 + 7 });
        expect(await store.getEvent(e.id)).toMatchObject({ status: 'failed', attempts: 1 });
      }
    });
  });

  describe('outbox', () => {
    it('drops a reaction whose idempotency key is already stored', async () => {
      const ref = nextId('user');
      const key = `email:${ref}:verified`;
      for (let i = 0; i < 3; i++) {
        const claim = await claimed('w1');
        await applyOne(
          store,
          { eventId: claim.id, owner: 'w1', sessionId: `vs_${ref}` },
          application(
            ref,
            subjectChange(ref, `vs_${ref}`, 'verified', [
              reaction('email', ref, key),
              reaction('email', ref, key),
            ]),
          ),
          T0 + i,
        );
      }
      const rows = await store.listReactions({ subjectRef: ref, limit: 10 });
      expect(rows.map((r) => r.idempotencyKey)).toEqual([key]);
      expect(rows[0]?.createdAt).toBe(T0);
    });

    it('claims due reactions with a lease; done, skipped, failed with retry, then dead and requeued', async () => {
      const ref = nextId('user');
      await store.updateSubject(
        ref,
        () => ({
          change: subjectChange(ref, nextId('vs'), 'verified', [
            reaction('email', ref, 'k1'),
            reaction('callback', ref, 'k2'),
            reaction('callback', ref, 'k3'),
          ]),
          result: null,
        }),
        T0,
      );
      const [r1, r2, r3] = await store.claimReactions({ owner: 'd1', limit: 10, leaseMs: LEASE, now: T0 });
      expect([r1?.idempotencyKey, r2?.idempotencyKey, r3?.idempotencyKey]).toEqual(['k1', 'k2', 'k3']);
      expect(r1?.attempts).toBe(1);
      expect(await store.claimReactions({ owner: 'd2', limit: 10, leaseMs: LEASE, now: T0 + 1 })).toEqual([]);

      await store.finishReaction({
        id: r1!.id,
        owner: 'd1',
        now: T0 + 2,
        outcome: 'done',
        detail: '202 accepted',
      });
      await store.finishReaction({
        id: r2!.id,
        owner: 'd1',
        now: T0 + 2,
        outcome: 'skipped',
        detail: 'no email address',
      });
      await store.finishReaction({
        id: r3!.id,
        owner: 'd1',
        now: T0 + 2,
        outcome: 'failed',
        detail: '500',
        retryAt: T0 + 100,
      });
      // A late answer from a dispatcher that lost its lease changes nothing.
      await store.finishReaction({
        id: r1!.id,
        owner: 'd9',
        now: T0 + 3,
        outcome: 'failed',
        detail: 'late',
        retryAt: null,
      });

      const byKey = Object.fromEntries(
        (await store.listReactions({ limit: 10 })).map((r) => [r.idempotencyKey, r]),
      );
      expect(byKey.k1).toMatchObject({
        status: 'done',
        result: '202 accepted',
        lastError: null,
        completedAt: T0 + 2,
      });
      expect(byKey.k2).toMatchObject({ status: 'skipped', result: 'no email address', completedAt: T0 + 2 });
      expect(byKey.k3).toMatchObject({
        status: 'failed',
        lastError: '500',
        nextAttemptAt: T0 + 100,
        completedAt: null,
      });
      expect(
        (await store.listReactions({ status: 'failed', limit: 10 })).map((r) => r.idempotencyKey),
      ).toEqual(['k3']);

      expect(await store.claimReactions({ owner: 'd2', limit: 10, leaseMs: LEASE, now: T0 + 99 })).toEqual(
        [],
      );
      const [retry] = await store.claimReactions({ owner: 'd2', limit: 10, leaseMs: LEASE, now: T0 + 100 });
      expect(retry).toMatchObject({ idempotencyKey: 'k3', attempts: 2 });
      await store.finishReaction({
        id: retry!.id,
        owner: 'd2',
        now: T0 + 101,
        outcome: 'failed',
        detail: 'gone',
        retryAt: null,
      });
      expect(await store.listReactions({ status: 'dead', limit: 10 })).toEqual([
        expect.objectContaining({ idempotencyKey: 'k3', lastError: 'gone' }),
      ]);

      expect(await store.requeueReactions({ status: 'dead' }, T0 + 200)).toBe(1);
      expect(await store.requeueReactions({ ids: [r1!.id] }, T0 + 200)).toBe(0);
      const [requeued] = await store.claimReactions({
        owner: 'd3',
        limit: 10,
        leaseMs: LEASE,
        now: T0 + 200,
      });
      expect(requeued).toMatchObject({
        idempotencyKey: 'k3',
        attempts: 1,
        status: 'pending',
        completedAt: null,
      });
      await store.finishReaction({
        id: requeued!.id,
        owner: 'd3',
        now: T0 + 201,
        outcome: 'failed',
        detail: 'x',
        retryAt: T0 + 500,
      });
      expect(await store.requeueReactions({ ids: [requeued!.id] }, T0 + 202)).toBe(1);
    });

    it('reclaims a reaction whose dispatcher lease expired', async () => {
      const ref = nextId('user');
      await store.updateSubject(
        ref,
        () => ({
          change: subjectChange(ref, nextId('vs'), 'verified', [reaction('email', ref, 'k')]),
          result: null,
        }),
        T0,
      );
      expect(await store.claimReactions({ owner: 'd1', limit: 10, leaseMs: 1_000, now: T0 })).toHaveLength(1);
      expect(await store.claimReactions({ owner: 'd2', limit: 10, leaseMs: 1_000, now: T0 + 999 })).toEqual(
        [],
      );
      expect(await store.claimReactions({ owner: 'd2', limit: 10, leaseMs: 1_000, now: T0 + 1_000 })).toEqual(
        [expect.objectContaining({ idempotencyKey: 'k', attempts: 2 })],
      );
    });
  });

  describe('subjects and reviews', () => {
    it('opens one review case per subject at a time, and closes it with who and why', async () => {
      const ref = nextId('user');
      await store.updateSubject(
        ref,
        () => ({
          change: subjectChange(ref, nextId('vs'), 'in_review', [reaction('review_case', ref, 'rv1')]),
          result: null,
        }),
        T0,
      );
      await store.updateSubject(
        ref,
        () => ({
          change: subjectChange(ref, nextId('vs'), 'in_review', [reaction('review_case', ref, 'rv2')]),
          result: null,
        }),
        T0 + 1,
      );
      const open = await store.listReviews({ status: 'open', limit: 10 });
      expect(open).toHaveLength(1);
      const review = open[0]!;
      expect(review.id).toMatch(/^rev_/);
      expect(await store.getReview(review.id)).toEqual(review);

      const closed = await store.updateSubject(
        ref,
        (snapshot: SubjectSnapshot) => ({
          change: {
            sessions: [],
            subject: {
              ref,
              view: subjectView(ref, 'verified'),
              manualDecision: { decision: 'approve', reviewId: snapshot.openReview!.id },
              announcements: announcements(),
              facts: NO_FACTS,
            },
            history: [],
            reactions: [],
            closeReview: {
              id: snapshot.openReview!.id,
              status: 'approved',
              note: 'passport checked',
              actor: 'ops@example',
              at: T0 + 9,
            },
          },
          result: snapshot.openReview!.id,
        }),
        T0 + 9,
      );
      expect(closed).toBe(review.id);
      expect(await store.getReview(review.id)).toMatchObject({
        status: 'approved',
        note: 'passport checked',
        actor: 'ops@example',
        decidedAt: T0 + 9,
      });
      expect(await store.listReviews({ status: 'open', limit: 10 })).toEqual([]);
      expect((await store.getSubject(ref))?.subject.manualDecision).toMatchObject({ decision: 'approve' });
      // Closed: the next case may open; the same cause never opens twice.
      for (const cause of ['rv1', 'rv3']) {
        await store.updateSubject(
          ref,
          () => ({
            change: subjectChange(ref, nextId('vs'), 'in_review', [reaction('review_case', ref, cause)]),
            result: null,
          }),
          T0 + 10,
        );
      }
      expect((await store.listReviews({ limit: 10 })).map((r) => r.status).sort()).toEqual([
        'approved',
        'open',
      ]);
      expect(await store.getReview('rev_missing')).toBeNull();
    });

    it('keeps the stored email unless a change gives one', async () => {
      const ref = nextId('user');
      const write = (email: string | null | undefined) =>
        store.updateSubject(
          ref,
          () => ({
            change: {
              sessions: [],
              subject: {
                ref,
                view: subjectView(ref, 'pending'),
                manualDecision: null,
                announcements: announcements(),
                ...(email !== undefined ? { email } : {}),
                facts: NO_FACTS,
              },
              history: [],
              reactions: [],
            },
            result: null,
          }),
          T0,
        );
      await write('jane@example.com');
      await write(undefined);
      expect((await store.getSubject(ref))?.subject.email).toBe('jane@example.com');
      await write(null);
      expect((await store.getSubject(ref))?.subject.email).toBeNull();
    });

    it('updateSubject returns the result and writes nothing when there is no change', async () => {
      const ref = nextId('user');
      expect(await store.updateSubject(ref, (s) => ({ change: null, result: s.subject }), T0)).toBeNull();
      expect(await store.getSubject(ref)).toBeNull();
    });

    it('serialises concurrent updates of one subject from two processes (no lost update)', async () => {
      const other = db.open();
      const ref = nextId('user');
      const bump = (s: Store) =>
        s.updateSubject(
          ref,
          (snapshot) => {
            const n = ((snapshot.subject?.view as unknown as { n?: number } | undefined)?.n ?? 0) + 1;
            return {
              change: {
                sessions: [],
                subject: {
                  ref,
                  view: subjectView(ref, 'pending', { n }),
                  manualDecision: null,
                  announcements: announcements({ n }),
                  facts: NO_FACTS,
                },
                history: [],
                reactions: [],
              },
              result: n,
            };
          },
          T0,
        );
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => bump(i % 2 ? other : store)));
      expect(results.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect((await store.getSubject(ref))?.subject.view).toMatchObject({ n: 20 });
    });
  });
});
