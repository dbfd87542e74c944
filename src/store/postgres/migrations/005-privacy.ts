/** Mirrors SQLite's 005: erasure tombstones and the audit log. */
export default {
  version: 5,
  name: 'privacy',
  sql: `
    ALTER TABLE subjects ADD COLUMN IF NOT EXISTS erased_at BIGINT;

    CREATE TABLE IF NOT EXISTS audit (
      id          BIGSERIAL PRIMARY KEY,
      at          BIGINT NOT NULL,
      actor       TEXT NOT NULL,
      actor_id    TEXT NOT NULL,
      action      TEXT NOT NULL,
      subject_ref TEXT,
      target      TEXT
    );
    CREATE INDEX IF NOT EXISTS audit_subject ON audit (subject_ref, id);
    CREATE INDEX IF NOT EXISTS audit_actor ON audit (actor_id, id);
    CREATE INDEX IF NOT EXISTS audit_at ON audit (at);
    CREATE INDEX IF NOT EXISTS outbox_completed ON outbox (completed_at) WHERE status IN ('done', 'skipped');
  `,
};
