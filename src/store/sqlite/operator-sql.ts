/** SQLite statements of the operators table. */
import type { Database } from 'better-sqlite3';
import { IdvError } from '../../errors.js';
import type { NewOperator, OperatorRecord } from '../operator-records.js';
import { OPERATOR_COLUMNS, toOperator, type OperatorRow } from '../operator-rows.js';
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
