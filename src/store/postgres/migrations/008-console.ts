/** Mirrors SQLite's 008: review cases may end as `retry_granted`; the non-personal report cache; console sessions. */
export default {
  version: 8,
  name: 'console',
  sql: `
    ALTER TABLE reviews DROP CONSTRAINT IF EXISTS reviews_status_check;
    ALTER TABLE reviews ADD CONSTRAINT reviews_status_check
      CHECK (status IN ('open', 'approved', 'rejected', 'superseded', 'retry_granted'));

    CREATE TABLE IF NOT EXISTS verification_reports (
      id          TEXT COLLATE "C" PRIMARY KEY,
      session_id  TEXT,
      report      TEXT NOT NULL,
      fetched_at  BIGINT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS verification_reports_session ON verification_reports (session_id);
    CREATE TABLE IF NOT EXISTS console_sessions (
      id          TEXT COLLATE "C" PRIMARY KEY,
      operator_id TEXT NOT NULL,
      created_at  BIGINT NOT NULL,
      expires_at  BIGINT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS console_sessions_operator ON console_sessions (operator_id);
  `,
};
