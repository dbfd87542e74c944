/** PostgreSQL statements of the console: the verification-report cache and console sessions (sqlite/console-sql.ts). */
import type pg from 'pg';
import type { CachedReport, ConsoleSession } from '../records.js';
import { toCachedReport, toConsoleSession } from '../console-rows.js';

type Queryable = Pick<pg.Pool, 'query'>;

export async function cacheReport(db: Queryable, entry: CachedReport): Promise<void> {
  await db.query(
    `INSERT INTO verification_reports (id, session_id, report, fetched_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET session_id = excluded.session_id, report = excluded.report,
       fetched_at = excluded.fetched_at`,
    [entry.id, entry.sessionId, JSON.stringify(entry.report), entry.fetchedAt],
  );
}

export async function getCachedReport(db: Queryable, id: string): Promise<CachedReport | null> {
  const { rows } = await db.query<{
    id: string;
    session_id: string | null;
    report: string;
    fetched_at: string;
  }>('SELECT id, session_id, report, fetched_at FROM verification_reports WHERE id = $1', [id]);
  return rows[0] ? toCachedReport(rows[0]) : null;
}

export async function createConsoleSession(db: Queryable, session: ConsoleSession): Promise<void> {
  await db.query(
    'INSERT INTO console_sessions (id, operator_id, created_at, expires_at) VALUES ($1, $2, $3, $4)',
    [session.id, session.operatorId, session.createdAt, session.expiresAt],
  );
}

export async function findConsoleSession(
  db: Queryable,
  id: string,
  now: number,
): Promise<ConsoleSession | null> {
  const { rows } = await db.query<{
    id: string;
    operator_id: string;
    created_at: string;
    expires_at: string;
  }>(
    'SELECT id, operator_id, created_at, expires_at FROM console_sessions WHERE id = $1 AND expires_at > $2',
    [id, now],
  );
  return rows[0] ? toConsoleSession(rows[0]) : null;
}

/** Deletes the session `id` and every expired one. */
export async function deleteConsoleSession(db: Queryable, id: string, now: number): Promise<void> {
  await db.query('DELETE FROM console_sessions WHERE id = $1 OR expires_at <= $2', [id, now]);
}
