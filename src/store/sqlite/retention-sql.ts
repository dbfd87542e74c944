/** SQLite statements of retention beyond events (inbox-sql.ts purges those). */
import type { Database } from 'better-sqlite3';
import { prepared } from './prepared.js';
import { SUBJECT_ROW_TABLES } from '../subject-tables.js';

export function purgeReactions(db: Database, before: number, limit: number): number {
  return prepared(
    db,
    `DELETE FROM outbox WHERE id IN (SELECT id FROM outbox
       WHERE status IN ('done', 'skipped') AND completed_at < ? LIMIT ?)`,
  ).run(before, limit).changes;
}

export function purgeAudit(db: Database, before: number, limit: number): number {
  return prepared(db, 'DELETE FROM audit WHERE id IN (SELECT id FROM audit WHERE at < ? LIMIT ?)').run(
    before,
    limit,
  ).changes;
}

export function purgeSubjects(db: Database, before: number, limit: number): number {
  return db
    .transaction(() => {
      const refs = prepared(
        db,
        `SELECT ref FROM subjects WHERE state IN ('verified', 'rejected', 'canceled') AND updated_at < ? LIMIT ?`,
      )
        .all(before, limit)
        .map((r) => (r as { ref: string }).ref);
      for (const ref of refs) {
        prepared(
          db,
          'DELETE FROM events WHERE object_id IN (SELECT id FROM sessions WHERE subject_ref = ?)',
        ).run(ref);
        for (const table of SUBJECT_ROW_TABLES) {
          prepared(db, `DELETE FROM ${table} WHERE subject_ref = ?`).run(ref);
        }
        prepared(db, 'DELETE FROM subjects WHERE ref = ?').run(ref);
      }
      return refs.length;
    })
    .immediate();
}
