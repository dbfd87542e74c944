/** Row shapes of the operators and audit tables, shared by both adapters. */
import type { AuditRecord, OperatorRecord, OperatorRole } from './operator-records.js';

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

export interface AuditRow {
  id: number;
  at: number;
  actor: string;
  actor_id: string;
  action: string;
  subject_ref: string | null;
  target: string | null;
}

export function toAudit(row: AuditRow): AuditRecord {
  return {
    id: Number(row.id),
    at: Number(row.at),
    actor: row.actor,
    actorId: row.actor_id,
    action: row.action,
    subjectRef: row.subject_ref,
    target: row.target,
  };
}
