/** PostgreSQL statements of the operators table. */
import type pg from 'pg';
import { IdvError } from '../../errors.js';
import type { NewOperator, OperatorRecord } from '../operator-records.js';
import { OPERATOR_COLUMNS, toOperator, type OperatorRow } from '../operator-rows.js';

type Queryable = Pick<pg.Pool, 'query'>;

export async function addOperator(db: Queryable, op: NewOperator): Promise<void> {
  try {
    await db.query(
      'INSERT INTO operators (id, name, role, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)',
      [op.id, op.name, op.role, op.tokenHash, op.createdAt],
    );
  } catch (err) {
    if ((err as { code?: string }).code === '23505') {
      throw new IdvError('conflict', 'An operator with this id or token exists.');
    }
    throw err;
  }
}

export async function listOperators(db: Queryable): Promise<OperatorRecord[]> {
  const { rows } = await db.query<OperatorRow>(
    `SELECT ${OPERATOR_COLUMNS} FROM operators ORDER BY created_at, id`,
  );
  return rows.map(toOperator);
}

export async function removeOperator(db: Queryable, id: string): Promise<boolean> {
  const result = await db.query('DELETE FROM operators WHERE id = $1', [id]);
  return (result.rowCount ?? 0) > 0;
}

export async function findOperatorByTokenHash(
  db: Queryable,
  tokenHash: string,
): Promise<OperatorRecord | null> {
  const { rows } = await db.query<OperatorRow>(
    `SELECT ${OPERATOR_COLUMNS} FROM operators WHERE token_hash = $1`,
    [tokenHash],
  );
  return rows[0] ? toOperator(rows[0]) : null;
}
