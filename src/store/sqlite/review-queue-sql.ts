/** SQLite statements of the review queue: pages filtered by status and owner, claims and releases. */
import type { Database } from 'better-sqlite3';
import type { ClaimResult, ReviewQueueQuery } from '../operator-records.js';
import type { ReviewRecord } from '../records.js';
import { toReview, type ReviewRow } from '../rows.js';
import type { Page } from '../store.js';
import { prepared } from './prepared.js';

/** With a status, oldest first (a queue is worked from its head); without one, newest first. */
export function listReviewQueue(db: Database, query: ReviewQueueQuery): Page<ReviewRecord> {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: query.limit + 1 };
  const order = query.status ? 'ASC' : 'DESC';
  if (query.status) {
    where.push('status = @status');
    params.status = query.status;
  }
  if (query.ownerId === null) where.push('owner_id IS NULL');
  else if (query.ownerId !== undefined) {
    where.push('owner_id = @owner');
    params.owner = query.ownerId;
  }
  if (query.startingAfter !== undefined) {
    const cursor = prepared(db, 'SELECT opened_at, id FROM reviews WHERE id = ?').get(query.startingAfter) as
      { opened_at: number; id: string } | undefined;
    if (!cursor) return { data: [], hasMore: false };
    where.push(`(opened_at, id) ${order === 'ASC' ? '>' : '<'} (@at, @id)`);
    Object.assign(params, { at: cursor.opened_at, id: cursor.id });
  }
  const rows = prepared(
    db,
    `SELECT * FROM reviews ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY opened_at ${order}, id ${order} LIMIT @limit`,
  ).all(params) as ReviewRow[];
  return { data: rows.slice(0, query.limit).map(toReview), hasMore: rows.length > query.limit };
}

export function claimReview(
  db: Database,
  id: string,
  owner: { id: string; name: string },
  now: number,
): ClaimResult {
  const changed = prepared(
    db,
    `UPDATE reviews SET owner_id = @ownerId, owner = @name, claimed_at = @now
      WHERE id = @id AND status = 'open' AND (owner_id IS NULL OR owner_id = @ownerId)`,
  ).run({ id, ownerId: owner.id, name: owner.name, now }).changes;
  if (changed > 0) return 'claimed';
  const row = prepared(db, 'SELECT status FROM reviews WHERE id = ?').get(id) as
    { status: string } | undefined;
  return row?.status === 'open' ? 'held' : 'not_open';
}

/** `ownerId` null releases whoever holds it (an admin); else only that owner's claim. */
export function releaseReview(db: Database, id: string, ownerId: string | null): boolean {
  return (
    prepared(
      db,
      `UPDATE reviews SET owner_id = NULL, owner = NULL, claimed_at = NULL
        WHERE id = @id AND status = 'open' AND owner_id IS NOT NULL AND (@ownerId IS NULL OR owner_id = @ownerId)`,
    ).run({ id, ownerId }).changes > 0
  );
}
