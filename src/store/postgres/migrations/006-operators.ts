/** Mirrors SQLite's 006: named operators with a role and a token hash; review cases get an owner. */
export default {
  version: 6,
  name: 'operators',
  sql: `
    CREATE TABLE IF NOT EXISTS operators (
      id          TEXT COLLATE "C" PRIMARY KEY,
      name        TEXT NOT NULL,
      role        TEXT NOT NULL CHECK (role IN ('viewer', 'reviewer', 'admin')),
      token_hash  TEXT NOT NULL UNIQUE,
      created_at  BIGINT NOT NULL
    );

    ALTER TABLE reviews ADD COLUMN IF NOT EXISTS owner_id TEXT;
    ALTER TABLE reviews ADD COLUMN IF NOT EXISTS owner TEXT;
    ALTER TABLE reviews ADD COLUMN IF NOT EXISTS claimed_at BIGINT;
    CREATE INDEX IF NOT EXISTS reviews_owner ON reviews (owner_id, status, opened_at);
  `,
};
