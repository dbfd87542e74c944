/** The console's rows as both adapters read them (PostgreSQL's BIGINT arrives as a string). */
import type { CachedReport, ConsoleSession } from './records.js';

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

export function toConsoleSession(row: {
  id: string;
  operator_id: string;
  created_at: number | string;
  expires_at: number | string;
}): ConsoleSession {
  return {
    id: row.id,
    operatorId: row.operator_id,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
  };
}
