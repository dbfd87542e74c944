/** PostgreSQL's subjects list for operators: filtered by state, failure codes, ref and cohort, most recently updated first. */
import type pg from 'pg';
import type { ListSubjectsQuery, SubjectSummary } from '../operator-records.js';
import type { Page } from '../store.js';
import { everCode, SUBMITTED } from './stats-sql.js';
import { containsPattern, toSubjectSummary, type SubjectSummaryRow } from '../subject-summary-rows.js';

type Queryable = Pick<pg.Pool, 'query'>;

export async function listSubjects(db: Queryable, query: ListSubjectsQuery): Promise<Page<SubjectSummary>> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    let sql = clause;
    for (const value of values) {
      params.push(value);
      sql = sql.replace('?', `$${params.length}`);
    }
    where.push(sql);
  };
  if (query.state !== undefined) add('state = ?', query.state);
  if (query.code !== undefined) add(`view->'cause'->'lastError'->>'code' = ?`, query.code);
  if (query.q !== undefined) add(`ref LIKE ? ESCAPE '\\'`, containsPattern(query.q));
  if (query.everCode !== undefined) add(everCode('?'), query.everCode);
  if (query.from !== undefined) add('created_at >= ?', query.from);
  if (query.to !== undefined) add('created_at < ?', query.to);
  if (query.submitted !== undefined) where.push(query.submitted ? SUBMITTED : `NOT ${SUBMITTED}`);
  if (query.startingAfter !== undefined) {
    const { rows } = await db.query<{ updated_at: number }>(
      'SELECT updated_at FROM subjects WHERE ref = $1',
      [query.startingAfter],
    );
    if (!rows[0]) return { data: [], hasMore: false };
    add('(updated_at, ref) < (?, ?)', rows[0].updated_at, query.startingAfter);
  }
  params.push(query.limit + 1);
  const { rows } = await db.query<SubjectSummaryRow>(
    `SELECT ref, state, view, updated_at FROM subjects ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY updated_at DESC, ref DESC LIMIT $${params.length}`,
    params,
  );
  return { data: rows.slice(0, query.limit).map(toSubjectSummary), hasMore: rows.length > query.limit };
}
