/** Row shape of the operators table, shared by both adapters. */
import type { OperatorRecord, OperatorRole } from './operator-records.js';

export interface OperatorRow {
  id: string;
  name: string;
  role: OperatorRole;
  created_at: number;
}

export const OPERATOR_COLUMNS = 'id, name, role, created_at';

export function toOperator(row: OperatorRow): OperatorRecord {
  return { id: row.id, name: row.name, role: row.role, createdAt: Number(row.created_at) };
}
