/**
 * Which database errors are the fault of a value in one row, as opposed to the database itself (gone,
 * busy, full): the group committer (group-commit.ts) isolates the row only for the former. Matched on the
 * drivers' error codes, so neither driver needs to be imported here.
 */

/**
 * SQLSTATE classes 22 (data exception: U+0000 in TEXT, a number beyond BIGINT), 23 (integrity constraint:
 * CHECK, NOT NULL) and 54 (program limit: an index entry over its size limit).
 */
export function isPostgresRowError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|23|54)[0-9A-Z]{3}$/.test(code);
}

/** Constraint, type and size errors of better-sqlite3, and the TypeError it throws for a value it cannot bind. */
export function isSqliteRowError(err: unknown): boolean {
  if (err instanceof TypeError || err instanceof RangeError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG)/.test(code);
}
