/**
 * Domain state, mirroring SQLite 002. Session and subject records are the domain's own JSON beside the
 * columns queries need; the domain evolves without a migration per field. They are `json`, not `jsonb`:
 * the store never queries inside them, and `json` keeps them byte for byte as written (jsonb reorders
 * keys), so both adapters hand back — and the API shows — exactly the same documents.
 */
export default {
  version: 2,
  name: 'outcomes',
  sql: `
    CREATE TABLE sessions (
      id          TEXT COLLATE "C" PRIMARY KEY,
      subject_ref TEXT,
      status      TEXT,
      record      JSON,
      created_at  BIGINT NOT NULL,
      updated_at  BIGINT NOT NULL
    );
    CREATE INDEX sessions_subject ON sessions (subject_ref);
    CREATE INDEX sessions_unlinked ON sessions (updated_at) WHERE subject_ref IS NULL;

    CREATE TABLE subjects (
      ref             TEXT PRIMARY KEY,
      state           TEXT NOT NULL,
      view            JSON NOT NULL,
      manual_decision JSON,
      announcements   JSON,
      email           TEXT,
      created_at      BIGINT NOT NULL,
      updated_at      BIGINT NOT NULL
    );
    CREATE INDEX subjects_state ON subjects (state);

    CREATE TABLE history (
      id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      subject_ref TEXT NOT NULL,
      at          BIGINT NOT NULL,
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
      id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      idempotency_key  TEXT NOT NULL UNIQUE,
      kind             TEXT NOT NULL,
      topic            TEXT NOT NULL,
      subject_ref      TEXT,
      session_id       TEXT,
      payload          JSON NOT NULL,
      status           TEXT NOT NULL CHECK (status IN ('pending', 'done', 'skipped', 'failed', 'dead')),
      attempts         INTEGER NOT NULL DEFAULT 0,
      next_attempt_at  BIGINT NOT NULL,
      lease_owner      TEXT,
      lease_expires_at BIGINT,
      last_error       TEXT,
      result           TEXT,
      created_at       BIGINT NOT NULL,
      completed_at     BIGINT
    );
    CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status IN ('pending', 'failed');
    CREATE INDEX outbox_subject ON outbox (subject_ref, id);

    CREATE TABLE reviews (
      id          TEXT COLLATE "C" PRIMARY KEY,
      subject_ref TEXT NOT NULL,
      status      TEXT NOT NULL CHECK (status IN ('open', 'approved', 'rejected', 'superseded')),
      topic       TEXT NOT NULL,
      reason      TEXT NOT NULL,
      cause_key   TEXT NOT NULL UNIQUE,
      session_id  TEXT,
      opened_at   BIGINT NOT NULL,
      decided_at  BIGINT,
      note        TEXT,
      actor       TEXT
    );
    CREATE INDEX reviews_status ON reviews (status, opened_at);
    CREATE UNIQUE INDEX reviews_one_open ON reviews (subject_ref) WHERE status = 'open';
  `,
};
