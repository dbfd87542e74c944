/** SQLite statements of maintenance jobs over personal columns (personal-columns.ts). */
import type { Database } from 'better-sqlite3';
import type { PersonalColumn, RewritePage } from '../personal-columns.js';
import { prepared } from './prepared.js';

export function rewriteColumn(
  db: Database,
  { table, key, column }: PersonalColumn,
  after: string | number | null,
  limit: number,
  rewrite: (value: string) => string,
): RewritePage {
  return db
    .transaction(() => {
      const rows = prepared(
        db,
        `SELECT ${key} AS k, ${column} AS v FROM ${table}
         WHERE ${column} IS NOT NULL AND (@after IS NULL OR ${key} > @after) ORDER BY ${key} LIMIT @limit`,
      ).all({ after, limit }) as { k: string | number; v: string }[];
      const update = prepared(db, `UPDATE ${table} SET ${column} = ? WHERE ${key} = ?`);
      let rewritten = 0;
      for (const row of rows) {
        const next = rewrite(row.v);
        if (next === row.v) continue;
        update.run(next, row.k);
        rewritten += 1;
      }
      return { scanned: rows.length, rewritten, last: rows.length < limit ? null : rows[rows.length - 1]!.k };
    })
    .immediate();
}
