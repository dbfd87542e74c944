/** PostgreSQL statements of maintenance jobs over personal columns (personal-columns.ts). */
import type pg from 'pg';
import type { PersonalColumn, RewritePage } from '../personal-columns.js';

type Queryable = Pick<pg.PoolClient, 'query'>;

export async function rewriteColumn(
  client: Queryable,
  { table, key, column, json }: PersonalColumn,
  after: string | number | null,
  limit: number,
  rewrite: (value: string) => string,
): Promise<RewritePage> {
  // json columns travel as text both ways, so `rewrite` sees the stored document as SQLite keeps it.
  const { rows } = await client.query<{ k: string | number; v: string }>(
    `SELECT ${key} AS k, ${column}::text AS v FROM ${table}
     WHERE ${column} IS NOT NULL AND ($1::text IS NULL OR ${key}::text > $1::text) ORDER BY ${key}::text LIMIT $2
     FOR UPDATE`,
    [after === null ? null : String(after), limit],
  );
  let rewritten = 0;
  for (const row of rows) {
    const next = rewrite(row.v);
    if (next === row.v) continue;
    await client.query(`UPDATE ${table} SET ${column} = $1${json ? '::json' : ''} WHERE ${key} = $2`, [
      next,
      row.k,
    ]);
    rewritten += 1;
  }
  return { scanned: rows.length, rewritten, last: rows.length < limit ? null : rows[rows.length - 1]!.k };
}
