/**
 * The console: a review case may end as `retry_granted` (the reviewer gave the user one more attempt), and
 * verification reports fetched from Stripe are cached without their personal data. SQLite cannot alter a
 * CHECK constraint, so the reviews table is rebuilt with the new list (same columns, same indexes).
 */
export default {
  version: 8,
  name: 'console',
  sql: `
    CREATE TABLE reviews_008 (
      id          TEXT PRIMARY KEY,
      subject_ref TEXT NOT NULL,
      status      TEXT NOT NULL
                  CHECK (status IN ('open', 'approved', 'rejected', 'superseded', 'retry_granted')),
      topic       TEXT NOT NULL,
      reason      TEXT NOT NULL,
      cause_key   TEXT NOT NULL UNIQUE,
      session_id  TEXT,
      opened_at   INTEGER NOT NULL,
      decided_at  INTEGER,
      note        TEXT,
      actor       TEXT,
      owner_id    TEXT,
      owner       TEXT,
      claimed_at  INTEGER
    );
    INSERT INTO reviews_008 (id, subject_ref, status, topic, reason, cause_key, session_id, opened_at,
                             decided_at, note, actor, owner_id, owner, claimed_at)
      SELECT id, subject_ref, status, topic, reason, cause_key, session_id, opened_at,
             decided_at, note, actor, owner_id, owner, claimed_at FROM reviews;
    DROP TABLE reviews;
    ALTER TABLE reviews_008 RENAME TO reviews;
    CREATE INDEX reviews_status ON reviews (status, opened_at);
    CREATE UNIQUE INDEX reviews_one_open ON reviews (subject_ref) WHERE status = 'open';
    CREATE INDEX reviews_owner ON reviews (owner_id, status, opened_at);

    CREATE TABLE verification_reports (
      id          TEXT PRIMARY KEY,
      session_id  TEXT,
      report      TEXT NOT NULL,
      fetched_at  INTEGER NOT NULL
    );
    CREATE INDEX verification_reports_session ON verification_reports (session_id);
    CREATE TABLE console_sessions (
      id          TEXT PRIMARY KEY,
      operator_id TEXT NOT NULL,
      created_at  INTEGER NOT NULL,
      expires_at  INTEGER NOT NULL
    );
    CREATE INDEX console_sessions_operator ON console_sessions (operator_id);
  `,
};
