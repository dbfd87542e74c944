/** PostgreSQL statements of the verification-report cache (reports stripped of personal data before they get here). */
import type pg from 'pg';
import type { CachedReport } from '../records.js';
import { toCachedReport } from '../report-cache-rows.js';

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
