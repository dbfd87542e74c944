/** SQLite statements of the verification-report cache (reports stripped of personal data before they get here). */
import type { Database } from 'better-sqlite3';
import type { CachedReport } from '../records.js';
import { toCachedReport } from '../report-cache-rows.js';
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
