/**
 * The inbox: one row per Stripe event id, written by the receiver before it answers 2xx. Mirrors SQLite 001.
 * Times are BIGINT milliseconds; ids sort bytewise (COLLATE "C") so pages come out in the same order as on
 * SQLite. The payload stays TEXT: it is the raw body exactly as verified, and JSONB would rewrite it.
 */
export default {
  version: 1,
  name: 'inbox',
  sql: `
    CREATE TABLE events (
      id               TEXT COLLATE "C" PRIMARY KEY,
      type             TEXT NOT NULL,
      livemode         BOOLEAN NOT NULL,
      created          BIGINT NOT NULL,
      object_id        TEXT,
      status           TEXT NOT NULL CHECK (status IN ('pending', 'processed', 'ignored', 'failed', 'dead')),
      ignored_reason   TEXT,
      attempts         INTEGER NOT NULL DEFAULT 0,
      received_at      BIGINT NOT NULL,
      processed_at     BIGINT,
      next_attempt_at  BIGINT NOT NULL,
      lease_owner      TEXT,
      lease_expires_at BIGINT,
      last_error       TEXT,
      payload          TEXT NOT NULL
    );
    CREATE INDEX events_due ON events (next_attempt_at, received_at, id) WHERE status IN ('pending', 'failed');
    CREATE INDEX events_newest ON events (received_at DESC, id DESC);
    CREATE INDEX events_status_newest ON events (status, received_at DESC, id DESC);
    CREATE INDEX events_object ON events (object_id);
  `,
};
