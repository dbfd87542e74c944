/** Mirrors SQLite's 007: named operators with a role and a token hash. */
export default {
  version: 7,
  name: 'operators',
  sql: `
    CREATE TABLE IF NOT EXISTS operators (
      id          TEXT COLLATE "C" PRIMARY KEY,
      name        TEXT NOT NULL,
      role        TEXT NOT NULL CHECK (role IN ('viewer', 'reviewer', 'admin')),
      token_hash  TEXT NOT NULL UNIQUE,
      created_at  BIGINT NOT NULL
    );
  `,
};
