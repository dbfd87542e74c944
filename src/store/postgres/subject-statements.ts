/**
 * PostgreSQL's statements for subject-writer.ts, one operation each, on the client of the transaction
 * PostgresStore opened. Each returns the query's promise; the writer issues them in order.
 */
import type pg from 'pg';
import type { SubjectChange } from '../records.js';
import type { SubjectStatements, SubjectWrite } from '../subject-writer.js';
import { recordAudit } from './audit-sql.js';
import { upsertExpectation } from './expectation-sql.js';

type Queryable = Pick<pg.PoolClient, 'query'>;

async function rewritePayloads(
  client: Queryable,
  r: NonNullable<SubjectChange['rewritePayloads']>,
): Promise<void> {
  const { rows } = await client.query<{ id: string; payload: string }>(
    'SELECT id, payload FROM events WHERE object_id = ANY($1::text[])',
    [r.sessionIds],
  );
  for (const row of rows) {
    const rewritten = r.rewrite(row.payload);
    if (rewritten !== row.payload) {
      await client.query('UPDATE events SET payload = $1 WHERE id = $2', [rewritten, row.id]);
    }
  }
}

async function eraseSubject(client: Queryable, ref: string, at: number): Promise<void> {
  await client.query('UPDATE reviews SET note = NULL, actor = NULL WHERE subject_ref = $1', [ref]);
  await client.query('UPDATE history SET actor = NULL WHERE subject_ref = $1', [ref]);
  await client.query('UPDATE expectations SET expected = NULL, verified = NULL WHERE subject_ref = $1', [
    ref,
  ]);
  await client.query('UPDATE subjects SET email = NULL, erased_at = COALESCE(erased_at, $1) WHERE ref = $2', [
    at,
    ref,
  ]);
}

async function upsertSubject(client: Queryable, subject: SubjectWrite, now: number): Promise<void> {
  await client.query(
    `INSERT INTO subjects (ref, state, view, manual_decision, announcements, email, created_at, updated_at,
           first_submitted_at, verified_at, attempts_used, attempts_left)
         VALUES ($1, $2, $3::json, $4::json, $8::json, $5, $7, $7, $9, $10, $11, $12)
         ON CONFLICT (ref) DO UPDATE SET state = excluded.state, view = excluded.view,
           manual_decision = excluded.manual_decision, announcements = excluded.announcements,
           email = CASE WHEN $6::boolean THEN excluded.email ELSE subjects.email END,
           updated_at = excluded.updated_at, first_submitted_at = excluded.first_submitted_at,
           verified_at = excluded.verified_at, attempts_used = excluded.attempts_used,
           attempts_left = excluded.attempts_left`,
    [
      subject.ref,
      subject.view.state,
      JSON.stringify(subject.view),
      subject.manualDecision === null ? null : JSON.stringify(subject.manualDecision),
      subject.email ?? null,
      subject.email !== undefined,
      now,
      JSON.stringify(subject.announcements),
      subject.facts.firstSubmittedAt,
      subject.facts.verifiedAt,
      subject.facts.attemptsUsed,
      subject.facts.attemptsLeft,
    ],
  );
}

export function postgresSubjectStatements(client: Queryable): SubjectStatements<Promise<void>> {
  const run = async (sql: string, params: unknown[]) => {
    await client.query(sql, params);
  };
  return {
    upsertSession: (session, now) =>
      run(
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
      ),

    upsertSubject: (subject, now) => upsertSubject(client, subject, now),

    insertHistory: (subjectRef, h) =>
      run(
        `INSERT INTO history (subject_ref, at, from_state, to_state, event_id, reason, decision, cause_key, actor)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [subjectRef, h.at, h.from, h.to, h.eventId, h.reason, h.decision, h.causeKey, h.actor ?? null],
      ),

    upsertFailureCodes: (subjectRef, codes) =>
      run(
        `INSERT INTO subject_codes (subject_ref, code, submissions)
         SELECT $1, code, n FROM unnest($2::text[], $3::int[]) AS c(code, n)
         ON CONFLICT (subject_ref, code) DO UPDATE SET submissions = excluded.submissions`,
        [subjectRef, codes.map((c) => c.code), codes.map((c) => c.submissions)],
      ),

    enqueueReaction: (r, now) =>
      run(
        `INSERT INTO outbox (idempotency_key, kind, topic, subject_ref, session_id, payload, status,
           next_attempt_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6::json, 'pending', $7, $7)
         ON CONFLICT (idempotency_key) DO NOTHING`,
        [r.idempotencyKey, r.kind, r.topic, r.subjectRef, r.sessionId, JSON.stringify(r), now],
      ),

    // No conflict target: both unique keys are covered — the same cause twice, and a second case while one
    // is open.
    openReview: (review) =>
      run(
        `INSERT INTO reviews (id, subject_ref, status, topic, reason, cause_key, session_id, opened_at)
         VALUES ($1, $2, 'open', $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
        [
          review.id,
          review.subjectRef,
          review.topic,
          review.reason,
          review.causeKey,
          review.sessionId,
          review.openedAt,
        ],
      ),

    closeReview: (c) =>
      run(
        `UPDATE reviews SET status = $1, note = $2, actor = $3, decided_at = $4 WHERE id = $5 AND status = 'open'`,
        [c.status, c.note, c.actor, c.at, c.id],
      ),

    rewritePayloads: (r) => rewritePayloads(client, r),

    eraseSubject: (ref, at) => eraseSubject(client, ref, at),

    insertAudit: (e) => recordAudit(client, e),
    upsertExpectation: (e, now) => upsertExpectation(client, e, now),

    supersedeReview: (s) =>
      run(
        `UPDATE reviews SET status = 'superseded', decided_at = $1, note = $2 WHERE id = $3 AND status = 'open'`,
        [s.at, s.note, s.id],
      ),
  };
}
