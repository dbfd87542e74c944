/**
 * SQLite reads and writes of domain state: a subject's snapshot, and one SubjectChange written as a unit.
 * Called only inside a transaction opened by SqliteStore.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type {
  HistoryRecord,
  StoredSession,
  StoredSubject,
  SubjectChange,
  SubjectSnapshot,
} from '../records.js';
import { toReview, toStoredSession, type ReviewRow, type SessionRow } from '../rows.js';
import { prepared } from './prepared.js';

interface SubjectRow {
  ref: string;
  view: string;
  manual_decision: string | null;
  announcements: string | null;
  email: string | null;
  created_at: number;
  updated_at: number;
}

export function loadSession(db: Database, id: string): StoredSession | null {
  const row = prepared(db, 'SELECT id, subject_ref, record FROM sessions WHERE id = ?').get(id) as
    SessionRow | undefined;
  return row ? toStoredSession(row) : null;
}

export function loadSubject(db: Database, ref: string): StoredSubject | null {
  const row = prepared(
    db,
    'SELECT ref, view, manual_decision, announcements, email, created_at, updated_at FROM subjects WHERE ref = ?',
  ).get(ref) as SubjectRow | undefined;
  if (!row) return null;
  return {
    ref: row.ref,
    view: JSON.parse(row.view),
    manualDecision: row.manual_decision === null ? null : JSON.parse(row.manual_decision),
    announcements: row.announcements === null ? null : JSON.parse(row.announcements),
    email: row.email,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function loadSnapshot(db: Database, ref: string): SubjectSnapshot {
  const sessions = (
    prepared(db, 'SELECT id, subject_ref, record FROM sessions WHERE subject_ref = ? ORDER BY id').all(
      ref,
    ) as SessionRow[]
  ).map(toStoredSession);
  const review = prepared(db, `SELECT * FROM reviews WHERE subject_ref = ? AND status = 'open'`).get(ref) as
    ReviewRow | undefined;
  return { subject: loadSubject(db, ref), sessions, openReview: review ? toReview(review) : null };
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

export function writeChange(db: Database, change: SubjectChange, now: number): void {
  const upsertSession = prepared(
    db,
    `INSERT INTO sessions (id, subject_ref, status, record, created_at, updated_at)
     VALUES (@id, @subjectRef, @status, @record, @now, @now)
     ON CONFLICT (id) DO UPDATE SET subject_ref = COALESCE(sessions.subject_ref, excluded.subject_ref),
       status = excluded.status, record = COALESCE(excluded.record, sessions.record), updated_at = excluded.updated_at`,
  );
  for (const session of change.sessions) {
    upsertSession.run({
      id: session.id,
      subjectRef: session.subjectRef,
      status: session.record?.status ?? null,
      record: session.record === null ? null : JSON.stringify(session.record),
      now,
    });
  }

  const subject = change.subject;
  if (subject) {
    prepared(
      db,
      `INSERT INTO subjects (ref, state, view, manual_decision, announcements, email, created_at, updated_at)
       VALUES (@ref, @state, @view, @manualDecision, @announcements, @email, @now, @now)
       ON CONFLICT (ref) DO UPDATE SET state = excluded.state, view = excluded.view,
         manual_decision = excluded.manual_decision, announcements = excluded.announcements,
         email = CASE WHEN @emailGiven THEN excluded.email ELSE subjects.email END,
         updated_at = excluded.updated_at`,
    ).run({
      ref: subject.ref,
      state: subject.view.state,
      view: JSON.stringify(subject.view),
      manualDecision: subject.manualDecision === null ? null : JSON.stringify(subject.manualDecision),
      announcements: JSON.stringify(subject.announcements),
      email: subject.email ?? null,
      emailGiven: subject.email !== undefined ? 1 : 0,
      now,
    });

    const insertHistory = prepared(
      db,
      `INSERT INTO history (subject_ref, at, from_state, to_state, event_id, reason, decision, cause_key, actor)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const h of change.history) {
      insertHistory.run(
        subject.ref,
        now,
        h.from,
        h.to,
        h.eventId,
        h.reason,
        h.decision,
        h.causeKey,
        h.actor ?? null,
      );
    }
  }

  const insertOutbox = prepared(
    db,
    `INSERT INTO outbox (idempotency_key, kind, topic, subject_ref, session_id, payload, status, next_attempt_at, created_at)
     VALUES (@key, @kind, @topic, @subjectRef, @sessionId, @payload, 'pending', @now, @now)
     ON CONFLICT (idempotency_key) DO NOTHING`,
  );
  // OR IGNORE covers both unique keys: the same cause twice, and a second case while one is open.
  const openReview = prepared(
    db,
    `INSERT OR IGNORE INTO reviews (id, subject_ref, status, topic, reason, cause_key, session_id, opened_at)
     VALUES (?, ?, 'open', ?, ?, ?, ?, ?)`,
  );
  for (const r of change.reactions) {
    if (r.kind === 'review_case') {
      if (r.subjectRef === null) continue;
      const reason = subject?.view.cause.reason ?? r.topic;
      openReview.run(
        `rev_${randomUUID().replaceAll('-', '')}`,
        r.subjectRef,
        r.topic,
        reason,
        r.idempotencyKey,
        r.sessionId,
        now,
      );
      continue;
    }
    insertOutbox.run({
      key: r.idempotencyKey,
      kind: r.kind,
      topic: r.topic,
      subjectRef: r.subjectRef,
      sessionId: r.sessionId,
      payload: JSON.stringify(r),
      now,
    });
  }

  if (change.closeReview) {
    const c = change.closeReview;
    prepared(
      db,
      `UPDATE reviews SET status = ?, note = ?, actor = ?, decided_at = ? WHERE id = ? AND status = 'open'`,
    ).run(c.status, c.note, c.actor, c.at, c.id);
  }
  // A case whose subject left review (e.g. a late verification) needs no decision any more.
  if (subject && subject.view.state !== 'in_review') {
    prepared(
      db,
      `UPDATE reviews SET status = 'superseded', decided_at = ?, note = ? WHERE subject_ref = ? AND status = 'open'`,
    ).run(now, `The subject left review: ${subject.view.state}.`, subject.ref);
  }
}
