/** SQLite's statements for subject-writer.ts, one operation each. Run inside a transaction of SqliteStore. */
import type { Database } from 'better-sqlite3';
import type { PlannedReaction } from '../../domain/index.js';
import type { FailureCodeCount } from '../../domain/subject-facts.js';
import type { AuditEntry, HistoryWrite, NewReview, StoredSession, SubjectChange } from '../records.js';
import type { SubjectStatements, SubjectWrite } from '../subject-writer.js';
import { prepared } from './prepared.js';
import { upsertExpectation } from './expectation-sql.js';

function upsertSession(db: Database, session: StoredSession, now: number): void {
  prepared(
    db,
    `INSERT INTO sessions (id, subject_ref, status, record, created_at, updated_at)
       VALUES (@id, @subjectRef, @status, @record, @now, @now)
       ON CONFLICT (id) DO UPDATE SET subject_ref = COALESCE(sessions.subject_ref, excluded.subject_ref),
         status = excluded.status, record = COALESCE(excluded.record, sessions.record),
         updated_at = excluded.updated_at`,
  ).run({
    id: session.id,
    subjectRef: session.subjectRef,
    status: session.record?.status ?? null,
    record: session.record === null ? null : JSON.stringify(session.record),
    now,
  });
}

function upsertSubject(db: Database, subject: SubjectWrite, now: number): void {
  prepared(
    db,
    `INSERT INTO subjects (ref, state, view, manual_decision, announcements, email, created_at, updated_at,
         first_submitted_at, verified_at, attempts_used, attempts_left)
       VALUES (@ref, @state, @view, @manualDecision, @announcements, @email, @now, @now,
         @firstSubmittedAt, @verifiedAt, @attemptsUsed, @attemptsLeft)
       ON CONFLICT (ref) DO UPDATE SET state = excluded.state, view = excluded.view,
         manual_decision = excluded.manual_decision, announcements = excluded.announcements,
         email = CASE WHEN @emailGiven THEN excluded.email ELSE subjects.email END,
         updated_at = excluded.updated_at, first_submitted_at = excluded.first_submitted_at,
         verified_at = excluded.verified_at, attempts_used = excluded.attempts_used,
         attempts_left = excluded.attempts_left`,
  ).run({
    ...subject.facts,
    ref: subject.ref,
    state: subject.view.state,
    view: JSON.stringify(subject.view),
    manualDecision: subject.manualDecision === null ? null : JSON.stringify(subject.manualDecision),
    announcements: JSON.stringify(subject.announcements),
    email: subject.email ?? null,
    emailGiven: subject.email !== undefined ? 1 : 0,
    now,
  });
}

function insertHistory(db: Database, subjectRef: string, h: HistoryWrite): void {
  prepared(
    db,
    `INSERT INTO history (subject_ref, at, from_state, to_state, event_id, reason, decision, cause_key, actor)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(subjectRef, h.at, h.from, h.to, h.eventId, h.reason, h.decision, h.causeKey, h.actor ?? null);
}

function upsertFailureCodes(db: Database, subjectRef: string, codes: readonly FailureCodeCount[]): void {
  const upsert = prepared(
    db,
    `INSERT INTO subject_codes (subject_ref, code, submissions) VALUES (?, ?, ?)
       ON CONFLICT (subject_ref, code) DO UPDATE SET submissions = excluded.submissions`,
  );
  for (const c of codes) upsert.run(subjectRef, c.code, c.submissions);
}

function enqueueReaction(db: Database, r: PlannedReaction, now: number): void {
  prepared(
    db,
    `INSERT INTO outbox (idempotency_key, kind, topic, subject_ref, session_id, payload, status,
         next_attempt_at, created_at)
       VALUES (@key, @kind, @topic, @subjectRef, @sessionId, @payload, 'pending', @now, @now)
       ON CONFLICT (idempotency_key) DO NOTHING`,
  ).run({
    key: r.idempotencyKey,
    kind: r.kind,
    topic: r.topic,
    subjectRef: r.subjectRef,
    sessionId: r.sessionId,
    payload: JSON.stringify(r),
    now,
  });
}

function openReview(db: Database, review: NewReview): void {
  // OR IGNORE covers both unique keys: the same cause twice, and a second case while one is open.
  prepared(
    db,
    `INSERT OR IGNORE INTO reviews (id, subject_ref, status, topic, reason, cause_key, session_id, opened_at)
       VALUES (?, ?, 'open', ?, ?, ?, ?, ?)`,
  ).run(
    review.id,
    review.subjectRef,
    review.topic,
    review.reason,
    review.causeKey,
    review.sessionId,
    review.openedAt,
  );
}

function closeReview(db: Database, c: NonNullable<SubjectChange['closeReview']>): void {
  prepared(
    db,
    `UPDATE reviews SET status = ?, note = ?, actor = ?, decided_at = ? WHERE id = ? AND status = 'open'`,
  ).run(c.status, c.note, c.actor, c.at, c.id);
}

function supersedeReview(db: Database, s: NonNullable<SubjectChange['supersedeReview']>): void {
  prepared(
    db,
    `UPDATE reviews SET status = 'superseded', decided_at = ?, note = ? WHERE id = ? AND status = 'open'`,
  ).run(s.at, s.note, s.id);
}

function rewritePayloads(db: Database, r: NonNullable<SubjectChange['rewritePayloads']>): void {
  const select = prepared(db, 'SELECT id, payload FROM events WHERE object_id = ?');
  const update = prepared(db, 'UPDATE events SET payload = ? WHERE id = ?');
  for (const sessionId of r.sessionIds) {
    for (const row of select.all(sessionId) as { id: string; payload: string }[]) {
      const rewritten = r.rewrite(row.payload);
      if (rewritten !== row.payload) update.run(rewritten, row.id);
    }
  }
}

function eraseSubject(db: Database, ref: string, at: number): void {
  prepared(db, 'UPDATE reviews SET note = NULL, actor = NULL WHERE subject_ref = ?').run(ref);
  prepared(db, 'UPDATE history SET actor = NULL WHERE subject_ref = ?').run(ref);
  prepared(db, 'UPDATE expectations SET expected = NULL, verified = NULL WHERE subject_ref = ?').run(ref);
  prepared(db, 'UPDATE subjects SET email = NULL, erased_at = COALESCE(erased_at, ?) WHERE ref = ?').run(
    at,
    ref,
  );
}

function insertAudit(db: Database, e: AuditEntry): void {
  prepared(
    db,
    'INSERT INTO audit (at, actor, actor_id, action, subject_ref, target) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(e.at, e.actor, e.actorId, e.action, e.subjectRef, e.target);
}

export function sqliteSubjectStatements(db: Database): SubjectStatements<void> {
  return {
    upsertSession: (session, now) => upsertSession(db, session, now),
    upsertSubject: (subject, now) => upsertSubject(db, subject, now),
    insertHistory: (subjectRef, h) => insertHistory(db, subjectRef, h),
    upsertFailureCodes: (subjectRef, codes) => upsertFailureCodes(db, subjectRef, codes),
    enqueueReaction: (r, now) => enqueueReaction(db, r, now),
    openReview: (review) => openReview(db, review),
    closeReview: (c) => closeReview(db, c),
    supersedeReview: (s) => supersedeReview(db, s),
    rewritePayloads: (r) => rewritePayloads(db, r),
    eraseSubject: (ref, at) => eraseSubject(db, ref, at),
    insertAudit: (entry) => insertAudit(db, entry),
    upsertExpectation: (e, now) => upsertExpectation(db, e, now),
  };
}
