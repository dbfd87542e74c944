/** PostgreSQL statements of the worker: claim due events, record failures, apply one claimed event. */
import type pg from 'pg';
import type { ClaimOptions } from '../store.js';
import type { ClaimedEvent, EventFailure, EventToApply, SubjectSnapshot } from '../records.js';
import { EVENT_COLUMNS, toEventRecord, type EventRow } from '../rows.js';
import { writeInOrder } from '../subject-writer.js';
import type { RoundCache } from '../round-cache.js';
import { Rollback } from './connection.js';
import { postgresSubjectStatements } from './subject-statements.js';
import { loadSession, loadSnapshot, lockKey } from './subject-reads.js';

type Queryable = Pick<pg.PoolClient, 'query'>;

export async function claimEvents(db: Queryable, options: ClaimOptions): Promise<ClaimedEvent[]> {
  const { owner, limit, leaseMs, now } = options;
  // SKIP LOCKED: rows another worker is claiming right now are passed over, not waited for. An expired
  // lease on a pending row means its worker died: the row is due again.
  const { rows } = await db.query<EventRow & { payload: string; next_attempt_at: number }>(
    `WITH due AS (
       SELECT id FROM events
       WHERE status IN ('pending', 'failed') AND next_attempt_at <= $1
         AND (lease_expires_at IS NULL OR lease_expires_at <= $1)
       ORDER BY next_attempt_at, received_at, id
       LIMIT $2
       FOR UPDATE SKIP LOCKED
     ), claimed AS (
       UPDATE events e SET status = 'pending', lease_owner = $3, lease_expires_at = $4, next_attempt_at = $4,
         attempts = e.attempts + 1
       FROM due WHERE e.id = due.id
       RETURNING e.${EVENT_COLUMNS.split(', ').join(', e.')}, e.payload, e.next_attempt_at
     )
     SELECT ${EVENT_COLUMNS}, payload, next_attempt_at FROM claimed ORDER BY next_attempt_at, received_at, id`,
    [now, limit, owner, now + leaseMs],
  );
  return rows.map((row) => ({ ...toEventRecord(row), payload: row.payload, leaseOwner: owner }));
}

export async function failEvent(db: Queryable, failure: EventFailure): Promise<void> {
  await db.query(
    `UPDATE events SET status = $1, last_error = $2, next_attempt_at = $3, lease_owner = NULL, lease_expires_at = NULL
     WHERE id = $4 AND lease_owner = $5 AND status = 'pending'`,
    [
      failure.retryAt === null ? 'dead' : 'failed',
      failure.error,
      failure.retryAt ?? failure.now,
      failure.id,
      failure.owner,
    ],
  );
}

/**
 * One event in a transaction of its own on `client`, every write made as it comes (no RoundCache: this is
 * also the fallback of a failed group, and the baseline the group path is tested against). Throws
 * Rollback('lease_lost') so nothing written is kept.
 */
export async function applyInTransaction(
  client: Queryable,
  { claim, application }: EventToApply,
  now: number,
): Promise<'applied' | 'lease_lost'> {
  await lockKey(client, `idv:session:${claim.sessionId}`);
  const stored = await loadSession(client, claim.sessionId);
  const ref = application.resolveSubject(stored);
  let snapshot: SubjectSnapshot | null = null;
  if (ref !== null) {
    await lockKey(client, `idv:subject:${ref}`);
    snapshot = await loadSnapshot(client, ref);
  }
  await writeInOrder(postgresSubjectStatements(client), application.decide(stored, snapshot), now);
  // Last, so the row lock is held only briefly: if another worker took the event over after this one's
  // lease expired, nothing above is kept.
  if ((await markProcessed(client, [claim.eventId], claim.owner, now)) !== 1) {
    throw new Rollback('lease_lost' as const);
  }
  return 'applied';
}

/**
 * Decides one event against the state `cache` serves (read from the database the first time) and writes
 * its change, or defers its rows in the cache (see ../round-cache.ts); `drain` writes what is deferred.
 * `held` names the advisory locks this transaction already holds: the cache is only as good as those
 * locks, and a lock taken again is a wasted round trip.
 */
export async function applyThroughCache(
  client: Queryable,
  cache: RoundCache,
  { claim, application }: EventToApply,
  held: Set<string>,
): Promise<void> {
  await lockOnce(client, `idv:session:${claim.sessionId}`, held);
  let stored = cache.session(claim.sessionId);
  if (stored === undefined) {
    cache.rememberSession(claim.sessionId, (stored = await loadSession(client, claim.sessionId)));
  }
  const ref = application.resolveSubject(stored);
  let snapshot: SubjectSnapshot | null = null;
  if (ref !== null) {
    await lockOnce(client, `idv:subject:${ref}`, held);
    snapshot = cache.snapshot(ref) ?? null;
    if (!snapshot) cache.rememberSnapshot(ref, (snapshot = await loadSnapshot(client, ref)));
  }
  const writes = cache.writesFor(postgresSubjectStatements(client), application.decide(stored, snapshot));
  for (const write of writes) await write();
}

export async function drain(client: Queryable, cache: RoundCache): Promise<void> {
  for (const write of cache.drain(postgresSubjectStatements(client))) await write();
}

/** Marks events this worker holds as processed; returns how many it still held. */
export async function markProcessed(
  client: Queryable,
  ids: string[],
  owner: string,
  now: number,
): Promise<number> {
  const marked = await client.query(
    `UPDATE events SET status = 'processed', processed_at = $1, last_error = NULL, lease_owner = NULL,
       lease_expires_at = NULL
     WHERE id = ANY($2::text[]) AND lease_owner = $3 AND status = 'pending'`,
    [now, ids, owner],
  );
  return marked.rowCount ?? 0;
}

async function lockOnce(client: Queryable, key: string, held: Set<string>): Promise<void> {
  if (held.has(key)) return;
  await lockKey(client, key);
  held.add(key);
}
