/**
 * The app's expected data per session and the comparison with Stripe's verified outputs. `match` is the
 * comparison's state (JSON, no personal values); `expected` and `verified` are personal, encrypted, and
 * nulled once no longer needed. `account` is the Connect account the session lives in.
 */
export default {
  version: 7,
  name: 'expectations',
  sql: `
    CREATE TABLE expectations (
      session_id   TEXT PRIMARY KEY,
      subject_ref  TEXT NOT NULL,
      account      TEXT,
      match        TEXT NOT NULL,
      expected     TEXT,
      verified     TEXT,
      created_at   INTEGER NOT NULL,
      updated_at   INTEGER NOT NULL
    );
    CREATE INDEX expectations_subject ON expectations (subject_ref);
  `,
};
