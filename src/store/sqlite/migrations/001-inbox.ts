/** The inbox: one row per Stripe event id, written by the receiver before it answers 2xx. */
export default {
  version: 1,
  name: 'inbox',
  sql: `
    CREATE TABLE events (
      id               TEXT PRIMARY KEY,
      type             TEXT NOT NULL,
      livemode         INTEGER NOT NULL,
      created          INTEGER NOT NULL,
      object_id        TEXT,
      status           TEXT NOT NULL CHECK (status IN ('pending', 'processed', 'ignored', 'failed', 'dead')),
      ignored_reason   TEXT,
      attempts         INTEGER NOT NULL DEFAULT 0,
      received_at      INTEGER NOT NULL,
      processed_at     INTEGER,
      next_attempt_at  INTEGER NOT NULL,
      lease_owner      TEXT,
      lease_expires_at INTEGER,
      last_error       TEXT,
      payload          TEXT NOT NULL
    );
    CREATE INDEX events_due ON events (next_attempt_at) WHERE status IN ('pending', 'failed');
    CREATE INDEX events_newest ON events (received_at DESC, id DESC);
    CREATE INDEX events_status_newest ON events (status, received_at DESC, id DESC);
    CREATE INDEX events_object ON events (object_id);
  `,
};
