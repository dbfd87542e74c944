/**
 * Domain state. Session and subject records are the domain's own JSON (domain/session.ts, subject.ts) with
 * the columns queries need beside them; the domain evolves without a migration per field.
 */
export default {
  version: 2,
  name: 'outcomes',
  sql: `
    CREATE TABLE sessions (
      id          TEXT PRIMARY KEY,
      subject_ref TEXT,
      status      TEXT,
      record      TEXT,
      created_at  INTEGER NOT NULL,
      updated_at  INTEGER NOT NULL
    );
    CREATE INDEX sessions_subject ON sessions (subject_ref);
    CREATE INDEX sessions_unlinked ON sessions (updated_at) WHERE subject_ref IS NULL;

    CREATE TABLE subjects (
      ref             TEXT PRIMARY KEY,
      state           TEXT NOT NULL,
      view            TEXT NOT NULL,
      manual_decision TEXT,
      announcements   TEXT,
      email           TEXT,
      created_at      INTEGER NOT NULL,
      updated_at      INTEGER NOT NULL
    );
    CREATE INDEX subjects_state ON subjects (state);

    CREATE TABLE history (
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      subject_ref TEXT NOT NULL,
      at          INTEGER NOT NULL,
      from_state  TEXT,
      to_state    TEXT NOT NULL,
      event_id    TEXT,
      reason      TEXT NOT NULL,
      decision    TEXT NOT NULL,
      cause_key   TEXT NOT NULL,
      actor       TEXT
    );
    CREATE INDEX history_subject ON history (subject_ref, id);

    CREATE TABLE outbox (
      id               INTEGER PRIMARY KEY AUTOINCREMENT,
      idempotency_key  TEXT NOT NULL UNIQUE,
      kind             TEXT NOT NULL,
      topic            TEXT NOT NULL,
      subject_ref      TEXT,
      session_id       TEXT,
      payload          TEXT NOT NULL,
      status           TEXT NOT NULL CHECK (status IN ('pending', 'done', 'skipped', 'failed', 'dead')),
      attempts         INTEGER NOT NULL DEFAULT 0,
      next_attempt_at  INTEGER NOT NULL,
      lease_owner      TEXT,
      lease_expires_at INTEGER,
      last_error       TEXT,
      result           TEXT,
      created_at       INTEGER NOT NULL,
      completed_at     INTEGER
    );
    CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status IN ('pending', 'failed');
    CREATE INDEX outbox_subject ON outbox (subject_ref, id);

    CREATE TABLE reviews (
      id          TEXT PRIMARY KEY,
      subject_ref TEXT NOT NULL,
      status      TEXT NOT NULL CHECK (status IN ('open', 'approved', 'rejected', 'superseded')),
      topic       TEXT NOT NULL,
      reason      TEXT NOT NULL,
      cause_key   TEXT NOT NULL UNIQUE,
      session_id  TEXT,
      opened_at   INTEGER NOT NULL,
      decided_at  INTEGER,
      note        TEXT,
      actor       TEXT
    );
    CREATE INDEX reviews_status ON reviews (status, opened_at);
    CREATE UNIQUE INDEX reviews_one_open ON reviews (subject_ref) WHERE status = 'open';
  `,
};
