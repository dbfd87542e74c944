/**
 * PostgreSQL reads of domain state (one session, a subject's snapshot, its history, reviews) and the
 * advisory lock that serialises writers of one session or subject.
 */
import type pg from 'pg';
import { loadExpectations } from './expectation-sql.js';
import type {
  HistoryRecord,
  ReviewRecord,
  StoredSession,
  StoredSubject,
  SubjectSnapshot,
} from '../records.js';
import {
  SUBJECT_COLUMNS,
  toReview,
  toStoredSession,
  toStoredSubject,
  type ReviewRow,
  type SessionRow,
  type SubjectRow,
} from '../rows.js';
import type { ReviewQuery } from '../store.js';

type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * Serialises writers of one key until the transaction ends. hashtextextended gives a 64-bit key, so
 * unrelated sessions and subjects practically never wait on each other.
 */
export async function lockKey(client: Queryable, key: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
}

export async function loadSession(client: Queryable, id: string): Promise<StoredSession | null> {
  const { rows } = await client.query<SessionRow>(
    'SELECT id, subject_ref, record FROM sessions WHERE id = $1',
    [id],
  );
  return rows[0] ? toStoredSession(rows[0]) : null;
}

async function loadSubject(client: Queryable, ref: string): Promise<StoredSubject | null> {
  const { rows } = await client.query<SubjectRow>(`SELECT ${SUBJECT_COLUMNS} FROM subjects WHERE ref = $1`, [
    ref,
  ]);
  return rows[0] ? toStoredSubject(rows[0]) : null;
}

export async function loadSnapshot(client: Queryable, ref: string): Promise<SubjectSnapshot> {
  const sessions = await client.query<SessionRow>(
    'SELECT id, subject_ref, record FROM sessions WHERE subject_ref = $1 ORDER BY id',
    [ref],
  );
  const review = await client.query<ReviewRow>(
    `SELECT * FROM reviews WHERE subject_ref = $1 AND status = 'open'`,
    [ref],
  );
  return {
    subject: await loadSubject(client, ref),
    sessions: sessions.rows.map(toStoredSession),
    openReview: review.rows[0] ? toReview(review.rows[0]) : null,
    expectations: await loadExpectations(client, ref),
  };
}

export async function loadHistory(client: Queryable, ref: string): Promise<HistoryRecord[]> {
  const { rows } = await client.query<HistoryRecord>(
    `SELECT at, from_state AS "from", to_state AS "to", event_id AS "eventId", reason, decision, actor
     FROM history WHERE subject_ref = $1 ORDER BY id`,
    [ref],
  );
  return rows;
}

export async function listUnlinkedSessions(client: Queryable, limit: number): Promise<StoredSession[]> {
  const { rows } = await client.query<SessionRow>(
    'SELECT id, subject_ref, record FROM sessions WHERE subject_ref IS NULL ORDER BY updated_at DESC LIMIT $1',
    [limit],
  );
  return rows.map(toStoredSession);
}

export async function listReviews(client: Queryable, query: ReviewQuery): Promise<ReviewRecord[]> {
  // A queue of one status reads oldest first (who waited longest); the whole list newest first.
  const order = query.status ? 'opened_at, id' : 'opened_at DESC, id';
  const { rows } = await client.query<ReviewRow>(
    `SELECT * FROM reviews WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR subject_ref = $2)
     ORDER BY ${order} LIMIT $3`,
    [query.status ?? null, query.subjectRef ?? null, query.limit],
  );
  return rows.map(toReview);
}

export async function getReview(client: Queryable, id: string): Promise<ReviewRecord | null> {
  const { rows } = await client.query<ReviewRow>('SELECT * FROM reviews WHERE id = $1', [id]);
  return rows[0] ? toReview(rows[0]) : null;
}
