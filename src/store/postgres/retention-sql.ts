/** PostgreSQL statements of retention beyond events (inbox-sql.ts purges those). */
import type pg from 'pg';
import { SUBJECT_ROW_TABLES } from '../subject-tables.js';

type Queryable = Pick<pg.PoolClient, 'query'>;

export async function purgeReactions(db: Queryable, before: number, limit: number): Promise<number> {
  const result = await db.query(
    `DELETE FROM outbox WHERE id IN (SELECT id FROM outbox
       WHERE status IN ('done', 'skipped') AND completed_at < $1 LIMIT $2)`,
    [before, limit],
  );
  return result.rowCount ?? 0;
}

export async function purgeAudit(db: Queryable, before: number, limit: number): Promise<number> {
  const result = await db.query(
    'DELETE FROM audit WHERE id IN (SELECT id FROM audit WHERE at < $1 LIMIT $2)',
    [before, limit],
  );
  return result.rowCount ?? 0;
}

/** Inside one transaction on `client`. */
export async function purgeSubjects(client: Queryable, before: number, limit: number): Promise<number> {
  const { rows } = await client.query<{ ref: string }>(
    `SELECT ref FROM subjects WHERE state IN ('verified', 'rejected', 'canceled') AND updated_at < $1
     LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [before, limit],
  );
  const refs = rows.map((r) => r.ref);
  if (refs.length === 0) return 0;
  await client.query(
    'DELETE FROM events WHERE object_id IN (SELECT id FROM sessions WHERE subject_ref = ANY($1::text[]))',
    [refs],
  );
  for (const table of SUBJECT_ROW_TABLES) {
    await client.query(`DELETE FROM ${table} WHERE subject_ref = ANY($1::text[])`, [refs]);
  }
  await client.query('DELETE FROM subjects WHERE ref = ANY($1::text[])', [refs]);
  return refs.length;
}
