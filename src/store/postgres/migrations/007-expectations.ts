/** Mirrors SQLite's 007: expected data per session and the comparison with the verified outputs. */
export default {
  version: 7,
  name: 'expectations',
  sql: `
    CREATE TABLE IF NOT EXISTS expectations (
      session_id   TEXT COLLATE "C" PRIMARY KEY,
      subject_ref  TEXT NOT NULL,
      account      TEXT,
      match        JSON NOT NULL,
      expected     TEXT,
      verified     TEXT,
      created_at   BIGINT NOT NULL,
      updated_at   BIGINT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS expectations_subject ON expectations (subject_ref);
  `,
};
