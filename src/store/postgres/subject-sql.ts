/**
 * PostgreSQL reads and writes of domain state: a subject's snapshot, and one SubjectChange written as a unit
 * with exactly the semantics of sqlite/subject-sql.ts. Called only inside a transaction opened by
 * PostgresStore, on that transaction's client.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type {
  HistoryRecord,
  StoredSession,
  StoredSubject,
  SubjectChange,
  SubjectSnapshot,
} from '../records.js';
import { toReview, toStoredSession, type ReviewRow, type SessionRow } from '../rows.js';

type Queryable = Pick<pg.PoolClient, 'query'>;

interface SubjectRow {
  ref: string;
  view: StoredSubject['view'];
  manual_decision: StoredSubject['manualDecision'];
  announcements: StoredSubject['announcements'];
  email: string | null;
  created_at: number;
  updated_at: number;
}

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
  const { rows } = await client.query<SubjectRow>(
    'SELECT ref, view, manual_decision, announcements, email, created_at, updated_at FROM subjects WHERE ref = $1',
    [ref],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    ref: row.ref,
    view: row.view,
    manualDecision: row.manual_decision,
    announcements: row.announcements,
    email: row.email,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
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

export async function writeChange(client: Queryable, change: SubjectChange, now: number): Promise<void> {
  for (const session of change.sessions) {
    await client.query(
      `INSERT INTO sessions (id, subject_ref, status, record, created_at, updated_at)
       VALUES ($1, $2, $3, $4::json, $5, $5)
       ON CONFLICT (id) DO UPDATE SET subject_ref = COALESCE(sessions.subject_ref, excluded.subject_ref),
         status = excluded.status, record = COALESCE(excluded.record, sessions.record),
         updated_at = excluded.updated_at`,
      [
        session.id,
        session.subjectRef,
        session.record?.status ?? null,
        session.record === null ? null : JSON.stringify(session.record),
        now,
      ],
    );
  }

  const subject = change.subject;
  if (subject) {
    await client.query(
      `INSERT INTO subjects (ref, state, view, manual_decision, announcements, email, created_at, updated_at)
       VALUES ($1, $2, $3::json, $4::json, $8::json, $5, $7, $7)
       ON CONFLICT (ref) DO UPDATE SET state = excluded.state, view = excluded.view,
         manual_decision = excluded.manual_decision, announcements = excluded.announcements,
         email = CASE WHEN $6::boolean THEN excluded.email ELSE subjects.email END,
         updated_at = excluded.updated_at`,
      [
        subject.ref,
        subject.view.state,
        JSON.stringify(subject.view),
        subject.manualDecision === null ? null : JSON.stringify(subject.manualDecision),
        subject.email ?? null,
        subject.email !== undefined,
        now,
        JSON.stringify(subject.announcements),
      ],
    );
    for (const h of change.history) {
      await client.query(
        `INSERT INTO history (subject_ref, at, from_state, to_state, event_id, reason, decision, cause_key, actor)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [subject.ref, now, h.from, h.to, h.eventId, h.reason, h.decision, h.causeKey, h.actor ?? null],
      );
    }
  }

  for (const r of change.reactions) {
    if (r.kind === 'review_case') {
      if (r.subjectRef === null) continue;
      const reason = subject?.view.cause.reason ?? r.topic;
      // No conflict target: both unique keys are covered — the same cause twice, and a second case while one is open.
      await client.query(
        `INSERT INTO reviews (id, subject_ref, status, topic, reason, cause_key, session_id, opened_at)
         VALUES ($1, $2, 'open', $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
        [
          `rev_${randomUUID().replaceAll('-', '')}`,
          r.subjectRef,
          r.topic,
          reason,
          r.idempotencyKey,
          r.sessionId,
          now,
        ],
      );
      continue;
    }
    await client.query(
      `INSERT INTO outbox (idempotency_key, kind, topic, subject_ref, session_id, payload, status, next_attempt_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6::json, 'pending', $7, $7)
       ON CONFLICT (idempotency_key) DO NOTHING`,
      [r.idempotencyKey, r.kind, r.topic, r.subjectRef, r.sessionId, JSON.stringify(r), now],
    );
  }

  if (change.closeReview) {
    const c = change.closeReview;
    await client.query(
      `UPDATE reviews SET status = $1, note = $2, actor = $3, decided_at = $4 WHERE id = $5 AND status = 'open'`,
      [c.status, c.note, c.actor, c.at, c.id],
    );
  }

  if (subject && subject.view.state !== 'in_review') {
    await client.query(
      `UPDATE reviews SET status = 'superseded', decided_at = $1, note = $2 WHERE subject_ref = $3 AND status = 'open'`,
      [now, `The subject left review: ${subject.view.state}.`, subject.ref],
    );
  }
}
