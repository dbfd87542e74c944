/** SQLite statements of the operators table and the audit log. */
import type { Database } from 'better-sqlite3';
import { IdvError } from '../../errors.js';
import type {
  AuditRecord,
  ListAuditQuery,
  NewAuditEntry,
  NewOperator,
  OperatorRecord,
} from '../operator-records.js';
import { OPERATOR_COLUMNS, toAudit, toOperator, type AuditRow, type OperatorRow } from '../operator-rows.js';
import type { Page } from '../store.js';
import { prepared } from './prepared.js';

export function addOperator(db: Database, op: NewOperator): void {
  try {
    prepared(
      db,
      `INSERT INTO operators (id, name, role, token_hash, created_at)
       VALUES (@id, @name, @role, @tokenHash, @createdAt)`,
    ).run(op);
  } catch (err) {
    if ((err as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) {
      throw new IdvError('conflict', 'An operator with this id or token exists.');
    }
    throw err;
  }
}

export function listOperators(db: Database): OperatorRecord[] {
  const rows = prepared(db, `SELECT ${OPERATOR_COLUMNS} FROM operators ORDER BY created_at, id`).all();
  return (rows as OperatorRow[]).map(toOperator);
}

export function removeOperator(db: Database, id: string): boolean {
  return prepared(db, 'DELETE FROM operators WHERE id = ?').run(id).changes > 0;
}

export function findOperatorByTokenHash(db: Database, tokenHash: string): OperatorRecord | null {
  const row = prepared(db, `SELECT ${OPERATOR_COLUMNS} FROM operators WHERE token_hash = ?`).get(tokenHash);
  return row ? toOperator(row as OperatorRow) : null;
}

export function appendAudit(db: Database, entry: NewAuditEntry): void {
  prepared(
    db,
    `INSERT INTO audit (at, actor, actor_id, action, subject_ref, target)
     VALUES (@at, @actor, @actorId, @action, @subjectRef, @target)`,
  ).run(entry);
}

export function listAudit(db: Database, query: ListAuditQuery): Page<AuditRecord> {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: query.limit + 1 };
  if (query.subjectRef !== undefined) {
    where.push('subject_ref = @subject');
    params.subject = query.subjectRef;
  }
  if (query.actorId !== undefined) {
    where.push('actor_id = @actorId');
    params.actorId = query.actorId;
  }
  if (query.startingAfter !== undefined) {
    where.push('id < @after');
    params.after = query.startingAfter;
  }
  const rows = prepared(
    db,
    `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT @limit`,
  ).all(params) as AuditRow[];
  return { data: rows.slice(0, query.limit).map(toAudit), hasMore: rows.length > query.limit };
}
