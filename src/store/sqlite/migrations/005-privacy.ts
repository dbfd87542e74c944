/**
 * Erasure and the audit log. An erased subject keeps a tombstone (its states and times, `erased_at`); the
 * audit log records who did what to which subject or case (decisions, reveals, replays, erasures, exports).
 * `actor` is personal (an operator's name, encrypted with a key); `actor_id` is not, so figures can group by
 * it.
 */
export default {
  version: 5,
  name: 'privacy',
  sql: `
    ALTER TABLE subjects ADD COLUMN erased_at INTEGER;

    CREATE TABLE audit (
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      at          INTEGER NOT NULL,
      actor       TEXT NOT NULL,
      actor_id    TEXT NOT NULL,
      action      TEXT NOT NULL,
      subject_ref TEXT,
      target      TEXT
    );
    CREATE INDEX audit_subject ON audit (subject_ref, id);
    CREATE INDEX audit_actor ON audit (actor_id, id);
    CREATE INDEX audit_at ON audit (at);
    CREATE INDEX outbox_completed ON outbox (completed_at) WHERE status IN ('done', 'skipped');
  `,
};
