/** A cached report's row, as both adapters read it (PostgreSQL's BIGINT arrives as a string). */
import type { CachedReport } from './records.js';

export function toCachedReport(row: {
  id: string;
  session_id: string | null;
  report: string;
  fetched_at: number | string;
}): CachedReport {
  return {
    id: row.id,
    sessionId: row.session_id,
    report: JSON.parse(row.report) as Record<string, unknown>,
    fetchedAt: Number(row.fetched_at),
  };
}
