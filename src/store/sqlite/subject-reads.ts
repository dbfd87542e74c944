/** SQLite reads of domain state: one session, a subject's snapshot, its history, reviews. */
import type { Database } from 'better-sqlite3';
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
import { prepared } from './prepared.js';
import { loadExpectations } from './expectation-sql.js';

export function loadSession(db: Database, id: string): StoredSession | null {
  const row = prepared(db, 'SELECT id, subject_ref, record FROM sessions WHERE id = ?').get(id) as
    SessionRow | undefined;
  return row ? toStoredSession(row) : null;
}

export function loadSubject(db: Database, ref: string): StoredSubject | null {
  const row = prepared(db, `SELECT ${SUBJECT_COLUMNS} FROM subjects WHERE ref = ?`).get(ref) as
    SubjectRow | undefined;
  return row ? toStoredSubject(row) : null;
}

export function loadSnapshot(db: Database, ref: string): SubjectSnapshot {
  const sessions = (
    prepared(db, 'SELECT id, subject_ref, record FROM sessions WHERE subject_ref = ? ORDER BY id').all(
      ref,
    ) as SessionRow[]
  ).map(toStoredSession);
  const review = prepared(db, `SELECT * FROM reviews WHERE subject_ref = ? AND status = 'open'`).get(ref) as
    ReviewRow | undefined;
  return {
    subject: loadSubject(db, ref),
    sessions,
    openReview: review ? toReview(review) : null,
    expectations: loadExpectations(db, ref),
  };
}

export function loadHistory(db: Database, ref: string): HistoryRecord[] {
  return (
    prepared(
      db,
      `SELECT at, from_state AS "from", to_state AS "to", event_id AS eventId, reason, decision, actor
         FROM history WHERE subject_ref = ? ORDER BY id`,
    ).all(ref) as HistoryRecord[]
  ).map((h) => ({ ...h }));
}

export function listUnlinkedSessions(db: Database, limit: number): StoredSession[] {
  const rows = prepared(
    db,
    'SELECT id, subject_ref, record FROM sessions WHERE subject_ref IS NULL ORDER BY updated_at DESC LIMIT ?',
  ).all(limit) as SessionRow[];
  return rows.map(toStoredSession);
}

export function listReviews(db: Database, query: ReviewQuery): ReviewRecord[] {
  const where = `(@status IS NULL OR status = @status) AND (@subject IS NULL OR subject_ref = @subject)`;
  // A queue of one status reads oldest first (who waited longest); the whole list newest first.
  const order = query.status ? 'opened_at, id' : 'opened_at DESC, id';
  const rows = prepared(db, `SELECT * FROM reviews WHERE ${where} ORDER BY ${order} LIMIT @limit`).all({
    status: query.status ?? null,
    subject: query.subjectRef ?? null,
    limit: query.limit,
  }) as ReviewRow[];
  return rows.map(toReview);
}

export function getReview(db: Database, id: string): ReviewRecord | null {
  const row = prepared(db, 'SELECT * FROM reviews WHERE id = ?').get(id) as ReviewRow | undefined;
  return row ? toReview(row) : null;
}
