/**
 * Named operators of the admin API: a role and the SHA-256 of their token (the token is shown once). The
 * name is personal and stored encrypted, so it cannot carry a unique index; `idv operator add` checks it.
 * A review case gets an owner (the operator who claimed it): by id, and by name, encrypted.
 */
export default {
  version: 6,
  name: 'operators',
  sql: `
    CREATE TABLE operators (
      id          TEXT PRIMARY KEY,
      name        TEXT NOT NULL,
      role        TEXT NOT NULL CHECK (role IN ('viewer', 'reviewer', 'admin')),
      token_hash  TEXT NOT NULL UNIQUE,
      created_at  INTEGER NOT NULL
    );

    ALTER TABLE reviews ADD COLUMN owner_id TEXT;
    ALTER TABLE reviews ADD COLUMN owner TEXT;
    ALTER TABLE reviews ADD COLUMN claimed_at INTEGER;
    CREATE INDEX reviews_owner ON reviews (owner_id, status, opened_at);
  `,
};
