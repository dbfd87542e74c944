/** PostgreSQL statements of the review queue: pages filtered by status and owner, claims and releases. */
import type pg from 'pg';
import type { ClaimResult, ReviewQueueQuery } from '../operator-records.js';
import type { ReviewRecord } from '../records.js';
import { toReview, type ReviewRow } from '../rows.js';
import type { Page } from '../store.js';

type Queryable = Pick<pg.Pool, 'query'>;

/** With a status, oldest first (a queue is worked from its head); without one, newest first. */
export async function listReviewQueue(db: Queryable, query: ReviewQueueQuery): Promise<Page<ReviewRecord>> {
  const where: string[] = [];
  const params: unknown[] = [];
  const order = query.status ? 'ASC' : 'DESC';
  const add = (clause: string, ...values: unknown[]) => {
    let sql = clause;
    for (const value of values) {
      params.push(value);
      sql = sql.replace('?', `$${params.length}`);
    }
    where.push(sql);
  };
  if (query.status) add('status = ?', query.status);
  if (query.ownerId === null) where.push('owner_id IS NULL');
  else if (query.ownerId !== undefined) add('owner_id = ?', query.ownerId);
  if (query.startingAfter !== undefined) {
    const { rows } = await db.query<{ opened_at: number; id: string }>(
      'SELECT opened_at, id FROM reviews WHERE id = $1',
      [query.startingAfter],
    );
    if (!rows[0]) return { data: [], hasMore: false };
    add(`(opened_at, id) ${order === 'ASC' ? '>' : '<'} (?, ?)`, rows[0].opened_at, rows[0].id);
  }
  params.push(query.limit + 1);
  const { rows } = await db.query<ReviewRow>(
    `SELECT * FROM reviews ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY opened_at ${order}, id ${order} LIMIT $${params.length}`,
    params,
  );
  return { data: rows.slice(0, query.limit).map(toReview), hasMore: rows.length > query.limit };
}

export async function claimReview(
  db: Queryable,
  id: string,
  owner: { id: string; name: string },
  now: number,
): Promise<ClaimResult> {
  const result = await db.query(
    `UPDATE reviews SET owner_id = $2, owner = $3, claimed_at = $4
      WHERE id = $1 AND status = 'open' AND (owner_id IS NULL OR owner_id = $2)`,
    [id, owner.id, owner.name, now],
  );
  if ((result.rowCount ?? 0) > 0) return 'claimed';
  const { rows } = await db.query<{ status: string }>('SELECT status FROM reviews WHERE id = $1', [id]);
  return rows[0]?.status === 'open' ? 'held' : 'not_open';
}

/** `ownerId` null releases whoever holds it (an admin); else only that owner's claim. */
export async function releaseReview(db: Queryable, id: string, ownerId: string | null): Promise<boolean> {
  const result = await db.query(
    `UPDATE reviews SET owner_id = NULL, owner = NULL, claimed_at = NULL
      WHERE id = $1 AND status = 'open' AND owner_id IS NOT NULL AND ($2::text IS NULL OR owner_id = $2)`,
    [id, ownerId],
  );
  return (result.rowCount ?? 0) > 0;
}
