/**
 * The worker's apply step on PostgreSQL. The events of one session in a claimed batch apply in one
 * transaction, in claim order: a backlog holds a session's lifecycle side by side (created, processing,
 * verified), so this is one commit, one set of advisory locks and one read of the session and its subject
 * instead of three to five, with the two rows written once (../round-cache.ts). Sessions apply
 * several at once, each lane on its own connection; PostgreSQL commits concurrent transactions together.
 *
 * A group is never wider than one session: two lanes each holding one subject's lock and wanting the
 * other's would deadlock. A group holds its locks longer than one event did, and writes the session row
 * only at its end; an unlinked session whose later event links it while an updateSubject of that subject
 * writes the same row could deadlock on the row lock. PostgreSQL then aborts one side after
 * deadlock_timeout: a group falls back as below, an operator's request fails and can be repeated. A group
 * that fails in any way (an event's decision threw, a lease was lost, a deadlock with another
 * worker's updateSubject, the connection) is rolled back whole and its events applied one per transaction,
 * so one bad event fails only itself, as the SQLite round falls back.
 */
import type pg from 'pg';
import type { ApplyOutcome, EventToApply } from '../records.js';
import { Rollback, inTransaction } from './connection.js';
import { RoundCache } from '../round-cache.js';
import { applyInTransaction, applyThroughCache, drain, markProcessed } from './event-sql.js';

export interface ApplyContext {
  pool: pg.Pool;
  onConnectionError: (err: Error) => void;
  /** How many transactions run at once. */
  lanes: number;
}

export async function applyEvents(
  context: ApplyContext,
  items: EventToApply[],
  now: number,
): Promise<ApplyOutcome[]> {
  const outcomes: ApplyOutcome[] = new Array(items.length);
  const groups = [...groupBySession(items).values()];
  let next = 0;
  const lane = async () => {
    while (next < groups.length) {
      const group = groups[next++]!.map((i) => ({ at: i, item: items[i]! }));
      const applied =
        group.length > 1 &&
        (await applyGroup(
          context,
          group.map((g) => g.item),
          now,
        ));
      for (const { at, item } of group)
        outcomes[at] = applied ? 'applied' : await applyOne(context, item, now);
    }
  };
  await Promise.all(Array.from({ length: Math.min(context.lanes, groups.length) }, lane));
  return outcomes;
}

/** Item indexes by lease owner and session, in claim order. */
function groupBySession(items: EventToApply[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  items.forEach(({ claim }, i) => {
    const key = `${claim.owner}\u0000${claim.sessionId}`;
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  });
  return groups;
}

/** True when every event of the group was applied and committed; false when nothing of it was kept. */
async function applyGroup(context: ApplyContext, group: EventToApply[], now: number): Promise<boolean> {
  try {
    return await inTransaction(context.pool, context.onConnectionError, async (client) => {
      const held = new Set<string>();
      const cache = new RoundCache(now);
      for (const item of group) await applyThroughCache(client, cache, item, held);
      await drain(client, cache);
      const ids = group.map((item) => item.claim.eventId);
      if ((await markProcessed(client, ids, group[0]!.claim.owner, now)) !== ids.length) {
        throw new Rollback(false);
      }
      return true;
    });
  } catch {
    // Applied one by one next, where the failing event reports its own error.
    return false;
  }
}

async function applyOne(context: ApplyContext, item: EventToApply, now: number): Promise<ApplyOutcome> {
  try {
    return await inTransaction(context.pool, context.onConnectionError, (client) =>
      applyInTransaction(client, item, now),
    );
  } catch (err) {
    return { error: err instanceof Error ? err : new Error(String(err)) };
  }
}
