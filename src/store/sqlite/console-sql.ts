/**
 * SQLite statements of the console: the verification-report cache (reports are stripped of personal data
 * before they get here) and console sessions (stored by the SHA-256 of the cookie).
 */
import type { Database } from 'better-sqlite3';
import type { CachedReport, ConsoleSession } from '../records.js';
import { toCachedReport, toConsoleSession } from '../console-rows.js';
import { prepared } from './prepared.js';

export function cacheReport(db: Database, entry: CachedReport): void {
  prepared(
    db,
    `INSERT INTO verification_reports (id, session_id, report, fetched_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET session_id = excluded.session_id, report = excluded.report,
       fetched_at = excluded.fetched_at`,
  ).run(entry.id, entry.sessionId, JSON.stringify(entry.report), entry.fetchedAt);
}

export function getCachedReport(db: Database, id: string): CachedReport | null {
  const row = prepared(db, 'SELECT * FROM verification_reports WHERE id = ?').get(id) as
    { id: string; session_id: string | null; report: string; fetched_at: number } | undefined;
  return row ? toCachedReport(row) : null;
}

export function createConsoleSession(db: Database, session: ConsoleSession): void {
  prepared(
    db,
    'INSERT INTO console_sessions (id, operator_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
  ).run(session.id, session.operatorId, session.createdAt, session.expiresAt);
}

export function findConsoleSession(db: Database, id: string, now: number): ConsoleSession | null {
  const row = prepared(db, 'SELECT * FROM console_sessions WHERE id = ? AND expires_at > ?').get(id, now) as
    { id: string; operator_id: string; created_at: number; expires_at: number } | undefined;
  return row ? toConsoleSession(row) : null;
}

/** Deletes the session `id` and every expired one. */
export function deleteConsoleSession(db: Database, id: string, now: number): void {
  prepared(db, 'DELETE FROM console_sessions WHERE id = ? OR expires_at <= ?').run(id, now);
}
