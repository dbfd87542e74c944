/**
 * Retention of every table, on both stores: old sent reactions, old audit lines and old subjects in a final
 * state go; whatever still needs someone (a pending reaction, a subject in review) stays, however old.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { ADAPTERS, type TestDatabase } from './adapters.js';
import { T0, applyOne, application, newEvent, nextId, reaction, subjectChange } from './fixtures.js';

const LEGS = await Promise.all(ADAPTERS.map(async (a) => [a.name, a, await a.skip()] as const));
const DAY = 86_400_000;

describe.each(LEGS)('retention on %s', (_name, adapter, skip) => {
  let db: TestDatabase;
  let store: Store;

  beforeAll(async () => {
    if (skip) return;
    db = await adapter.createDatabase();
    store = db.open();
    await store.migrate();
  });
  afterAll(async () => {
    if (!skip) await db.drop();
  });

  async function subject(state: string, at: number, reactions = [] as ReturnType<typeof reaction>[]) {
    const ref = nextId('user');
    const vs = nextId('vs');
    const event = newEvent({ objectId: vs, receivedAt: at });
    await store.insertEvent(event);
    await store.claimEvents({ owner: 'w', limit: 100, leaseMs: 1_000, now: at });
    await applyOne(
      store,
      { eventId: event.id, owner: 'w', sessionId: vs },
      application(ref, subjectChange(ref, vs, state, reactions)),
      at,
    );
    return { ref, vs, event: event.id };
  }

  it.skipIf(skip)('deletes old final subjects with all their records, and keeps open ones', async () => {
    const old = await subject('verified', T0);
    const reviewing = await subject('in_review', T0);
    const recent = await subject('rejected', T0 + 20 * DAY);
    expect(await store.purgeSubjects(T0 + 10 * DAY, 100)).toBe(1);
    expect(await store.getSubject(old.ref)).toBeNull();
    expect(await store.getEvent(old.event)).toBeNull();
    expect(await store.getSubject(reviewing.ref)).not.toBeNull();
    expect(await store.getSubject(recent.ref)).not.toBeNull();
  });

  it.skipIf(skip)('deletes sent reactions completed long ago, and keeps pending ones', async () => {
    const ref = nextId('user');
    await store.updateSubject(
      ref,
      () => ({
        change: subjectChange(ref, nextId('vs'), 'in_review', [
          reaction('email', ref, `${ref}:a`),
          reaction('email', ref, `${ref}:b`),
        ]),
        result: null,
      }),
      T0,
    );
    const [sent] = await store.claimReactions({ owner: 'd', limit: 1, leaseMs: 1_000, now: T0 });
    await store.finishReaction({ id: sent!.id, owner: 'd', now: T0, outcome: 'done', detail: null });
    expect(await store.purgeReactions(T0 + DAY, 100)).toBe(1);
    expect((await store.listReactions({ subjectRef: ref, limit: 10 })).map((r) => r.status)).toEqual([
      'pending',
    ]);
  });

  it.skipIf(skip)('deletes audit lines older than the limit', async () => {
    const ref = nextId('user');
    await store.recordAudit({
      at: T0,
      actor: 'a',
      actorId: 'admin',
      action: 'event.replay',
      subjectRef: ref,
      target: null,
    });
    await store.recordAudit({
      at: T0 + 5 * DAY,
      actor: 'a',
      actorId: 'admin',
      action: 'event.replay',
      subjectRef: ref,
      target: null,
    });
    expect(await store.purgeAudit(T0 + DAY, 100)).toBe(1);
    expect((await store.listAudit({ subjectRef: ref, limit: 10 })).data).toHaveLength(1);
  });
});
