/** PostgreSQL statements of the operators table and the audit log. */
import type pg from 'pg';
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

export async function appendAudit(db: Queryable, entry: NewAuditEntry): Promise<void> {
  await db.query(
    'INSERT INTO audit (at, actor, actor_id, action, subject_ref, target) VALUES ($1, $2, $3, $4, $5, $6)',
    [entry.at, entry.actor, entry.actorId, entry.action, entry.subjectRef, entry.target],
  );
}

export async function listAudit(db: Queryable, query: ListAuditQuery): Promise<Page<AuditRecord>> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    where.push(clause.replace('?', `$${params.length}`));
  };
  if (query.subjectRef !== undefined) add('subject_ref = ?', query.subjectRef);
  if (query.actorId !== undefined) add('actor_id = ?', query.actorId);
  if (query.startingAfter !== undefined) add('id < ?', query.startingAfter);
  params.push(query.limit + 1);
  const { rows } = await db.query<AuditRow>(
    `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY id DESC LIMIT $${params.length}`,
    params,
  );
  return { data: rows.slice(0, query.limit).map(toAudit), hasMore: rows.length > query.limit };
}
