/** SQLite's subjects list for operators: filtered by state, failure codes, ref and cohort, most recently updated first. */
import type { Database } from 'better-sqlite3';
import type { ListSubjectsQuery, SubjectSummary } from '../operator-records.js';
import type { Page } from '../store.js';
import { containsPattern, toSubjectSummary, type SubjectSummaryRow } from '../subject-summary-rows.js';
import { prepared } from './prepared.js';
import { EVER_CODE, SUBMITTED } from './stats-sql.js';

export function listSubjects(db: Database, query: ListSubjectsQuery): Page<SubjectSummary> {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: query.limit + 1 };
  if (query.state !== undefined) {
    where.push('state = @state');
    params.state = query.state;
  }
  if (query.code !== undefined) {
    where.push(`json_extract(view, '$.cause.lastError.code') = @code`);
    params.code = query.code;
  }
  if (query.q !== undefined) {
    where.push(`ref LIKE @q ESCAPE '\\'`);
    params.q = containsPattern(query.q);
  }
  if (query.everCode !== undefined) {
    where.push(EVER_CODE);
    params.everCode = query.everCode;
  }
  if (query.from !== undefined) {
    where.push('created_at >= @from');
    params.from = query.from;
  }
  if (query.to !== undefined) {
    where.push('created_at < @to');
    params.to = query.to;
  }
  if (query.submitted !== undefined) where.push(query.submitted ? SUBMITTED : `NOT ${SUBMITTED}`);
  if (query.startingAfter !== undefined) {
    const cursor = prepared(db, 'SELECT updated_at FROM subjects WHERE ref = ?').get(query.startingAfter) as
      { updated_at: number } | undefined;
    if (!cursor) return { data: [], hasMore: false };
    where.push('(updated_at, ref) < (@at, @ref)');
    Object.assign(params, { at: cursor.updated_at, ref: query.startingAfter });
  }
  const rows = prepared(
    db,
    `SELECT ref, state, view, updated_at FROM subjects ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY updated_at DESC, ref DESC LIMIT @limit`,
  ).all(params) as SubjectSummaryRow[];
  return { data: rows.slice(0, query.limit).map(toSubjectSummary), hasMore: rows.length > query.limit };
}
