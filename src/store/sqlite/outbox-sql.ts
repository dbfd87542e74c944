/** SQLite statements of the outbox: the dispatcher's claims and results, operator reads and replays. */
import type { Database } from 'better-sqlite3';
import type { Backlog, ClaimOptions, ListReactionsQuery } from '../store.js';
import type { OutboxRecord, ReactionResult } from '../records.js';
import { toOutboxRecord, type OutboxRow } from '../rows.js';
import { prepared } from './prepared.js';

export function claimReactions(db: Database, options: ClaimOptions): OutboxRecord[] {
  const { owner, limit, leaseMs, now } = options;
  const rows = db
    .transaction(() => {
      const due = prepared(
        db,
        `SELECT * FROM outbox WHERE status IN ('pending', 'failed') AND next_attempt_at <= @now
           AND (lease_expires_at IS NULL OR lease_expires_at <= @now)
         ORDER BY next_attempt_at, id LIMIT @limit`,
      ).all({ now, limit }) as OutboxRow[];
      const lease = prepared(
        db,
        `UPDATE outbox SET lease_owner = @owner, lease_expires_at = @until, next_attempt_at = @until,
           attempts = attempts + 1 WHERE id = @id`,
      );
      for (const row of due) lease.run({ owner, until: now + leaseMs, id: row.id });
      return due.map((row) => ({ ...row, attempts: row.attempts + 1 }));
    })
    .immediate();
  return rows.map(toOutboxRecord);
}

/** Hands claimed rows back unsent: due again now, the claim's attempt not counted. */
export function releaseReactions(db: Database, owner: string, ids: number[], now: number): void {
  const release = prepared(
    db,
    `UPDATE outbox SET lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = @now,
       attempts = attempts - 1 WHERE id = @id AND lease_owner = @owner`,
  );
  db.transaction(() => ids.forEach((id) => release.run({ id, owner, now })))();
}

export function extendLeases(db: Database, owner: string, ids: number[], until: number): number {
  const extend = prepared(
    db,
    `UPDATE outbox SET lease_expires_at = @until, next_attempt_at = @until WHERE id = @id AND lease_owner = @owner`,
  );
  return db.transaction(() => ids.reduce((n, id) => n + extend.run({ id, owner, until }).changes, 0))();
}

export function finishReaction(db: Database, result: ReactionResult): void {
  const failed = result.outcome === 'failed';
  const status = failed ? (result.retryAt == null ? 'dead' : 'failed') : result.outcome;
  prepared(
    db,
    `UPDATE outbox SET status = @status, lease_owner = NULL, lease_expires_at = NULL,
         last_error = CASE WHEN @failed THEN @detail ELSE last_error END, result = @detail,
         next_attempt_at = COALESCE(@retryAt, next_attempt_at),
         completed_at = CASE WHEN @failed THEN NULL ELSE @now END
       WHERE id = @id AND lease_owner = @owner`,
  ).run({
    id: result.id,
    owner: result.owner,
    status,
    failed: failed ? 1 : 0,
    detail: result.detail,
    retryAt: failed ? (result.retryAt ?? null) : null,
    now: result.now,
  });
}

/** The dispatcher's results of one turn of the event loop, in one transaction (one commit, not one each). */
export function finishReactions(db: Database, results: ReactionResult[]): void {
  db.transaction(() => results.forEach((result) => finishReaction(db, result))).immediate();
}

export function listReactions(db: Database, query: ListReactionsQuery): OutboxRecord[] {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: query.limit };
  if (query.subjectRef !== undefined) {
    where.push('subject_ref = @subjectRef');
    params.subjectRef = query.subjectRef;
  }
  if (query.status !== undefined) {
    where.push('status = @status');
    params.status = query.status;
  }
  if (query.startingAfter !== undefined) {
    where.push('id > @after');
    params.after = query.startingAfter;
  }
  const rows = prepared(
    db,
    `SELECT * FROM outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT @limit`,
  ).all(params) as OutboxRow[];
  return rows.map(toOutboxRecord);
}

export function requeueReactions(
  db: Database,
  selector: { ids: number[] } | { status: 'dead' },
  now: number,
): number {
  const reset = `UPDATE outbox SET status = 'pending', next_attempt_at = @now, attempts = 0, lease_owner = NULL,
    lease_expires_at = NULL, completed_at = NULL`;
  if ('status' in selector) return prepared(db, `${reset} WHERE status = 'dead'`).run({ now }).changes;
  const stmt = prepared(db, `${reset} WHERE id = @id AND status IN ('dead', 'failed')`);
  return db.transaction((ids: number[]) => ids.reduce((n, id) => n + stmt.run({ now, id }).changes, 0))(
    selector.ids,
  );
}

/** Rows that still need something, by status (index range counts, no table scan). */
export function countBacklog(db: Database): Backlog {
  const count = (table: 'events' | 'outbox') => {
    const rows = prepared(
      db,
      `SELECT status, count(*) AS n FROM ${table} WHERE status IN ('pending', 'failed', 'dead') GROUP BY status`,
    ).all() as { status: 'pending' | 'failed' | 'dead'; n: number }[];
    const counts = { pending: 0, failed: 0, dead: 0 };
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  };
  return { events: count('events'), reactions: count('outbox') };
}
