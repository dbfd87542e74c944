/** PostgreSQL statements of the outbox: the dispatcher's claims and results, operator reads and replays. */
import type pg from 'pg';
import type { Backlog, ClaimOptions, ListReactionsQuery } from '../store.js';
import type { OutboxRecord, ReactionResult } from '../records.js';
import { OUTBOX_COLUMNS, toOutboxRecord, type OutboxRow } from '../rows.js';

type Queryable = Pick<pg.Pool, 'query'>;

export async function claimReactions(db: Queryable, options: ClaimOptions): Promise<OutboxRecord[]> {
  const { owner, limit, leaseMs, now } = options;
  const { rows } = await db.query<OutboxRow>(
    `WITH due AS (
       SELECT id FROM outbox
       WHERE status IN ('pending', 'failed') AND next_attempt_at <= $1
         AND (lease_expires_at IS NULL OR lease_expires_at <= $1)
       ORDER BY next_attempt_at, id
       LIMIT $2
       FOR UPDATE SKIP LOCKED
     ), claimed AS (
       UPDATE outbox o SET lease_owner = $3, lease_expires_at = $4, next_attempt_at = $4, attempts = o.attempts + 1
       FROM due WHERE o.id = due.id
       RETURNING o.${OUTBOX_COLUMNS.split(', ').join(', o.')}
     )
     SELECT ${OUTBOX_COLUMNS} FROM claimed ORDER BY next_attempt_at, id`,
    [now, limit, owner, now + leaseMs],
  );
  return rows.map(toOutboxRecord);
}

export async function extendLeases(
  db: Queryable,
  owner: string,
  ids: number[],
  until: number,
): Promise<number> {
  const result = await db.query(
    `UPDATE outbox SET lease_expires_at = $1, next_attempt_at = $1 WHERE id = ANY($2::bigint[]) AND lease_owner = $3`,
    [until, ids, owner],
  );
  return result.rowCount ?? 0;
}

export async function finishReaction(db: Queryable, result: ReactionResult): Promise<void> {
  const failed = result.outcome === 'failed';
  const status = failed ? (result.retryAt == null ? 'dead' : 'failed') : result.outcome;
  await db.query(
    `UPDATE outbox SET status = $1, lease_owner = NULL, lease_expires_at = NULL,
       last_error = CASE WHEN $2::boolean THEN $3 ELSE last_error END, result = $3,
       next_attempt_at = COALESCE($4::bigint, next_attempt_at),
       completed_at = CASE WHEN $2::boolean THEN NULL ELSE $5::bigint END
     WHERE id = $6 AND lease_owner = $7`,
    [
      status,
      failed,
      result.detail,
      failed ? (result.retryAt ?? null) : null,
      result.now,
      result.id,
      result.owner,
    ],
  );
}

export async function listReactions(db: Queryable, query: ListReactionsQuery): Promise<OutboxRecord[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.subjectRef !== undefined) {
    params.push(query.subjectRef);
    where.push(`subject_ref = $${params.length}`);
  }
  if (query.status !== undefined) {
    params.push(query.status);
    where.push(`status = $${params.length}`);
  }
  if (query.startingAfter !== undefined) {
    params.push(query.startingAfter);
    where.push(`id > $${params.length}`);
  }
  params.push(query.limit);
  const { rows } = await db.query<OutboxRow>(
    `SELECT ${OUTBOX_COLUMNS} FROM outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY id LIMIT $${params.length}`,
    params,
  );
  return rows.map(toOutboxRecord);
}

export async function requeueReactions(
  db: Queryable,
  selector: { ids: number[] } | { status: 'dead' },
  now: number,
): Promise<number> {
  const reset = `UPDATE outbox SET status = 'pending', next_attempt_at = $1, attempts = 0, lease_owner = NULL,
    lease_expires_at = NULL, completed_at = NULL`;
  const result =
    'status' in selector
      ? await db.query(`${reset} WHERE status = 'dead'`, [now])
      : await db.query(`${reset} WHERE id = ANY($2::bigint[]) AND status IN ('dead', 'failed')`, [
          now,
          selector.ids,
        ]);
  return result.rowCount ?? 0;
}

export async function countBacklog(db: Queryable): Promise<Backlog> {
  const count = async (table: 'events' | 'outbox') => {
    const { rows } = await db.query<{ status: 'pending' | 'failed' | 'dead'; n: number }>(
      `SELECT status, count(*)::int AS n FROM ${table} WHERE status IN ('pending', 'failed', 'dead') GROUP BY status`,
    );
    const counts = { pending: 0, failed: 0, dead: 0 };
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  };
  return { events: await count('events'), reactions: await count('outbox') };
}
