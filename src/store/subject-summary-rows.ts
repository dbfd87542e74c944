/** The subjects list's row, shared by both adapters. */
import type { SubjectSummary } from './operator-records.js';
import type { StoredSubject } from './records.js';

export interface SubjectSummaryRow {
  ref: string;
  state: string;
  view: StoredSubject['view'] | string;
  updated_at: number;
}

export function toSubjectSummary(row: SubjectSummaryRow): SubjectSummary {
  const view = (typeof row.view === 'string' ? JSON.parse(row.view) : row.view) as StoredSubject['view'];
  return {
    ref: row.ref,
    state: row.state,
    attempts: { ...view.attempts },
    lastErrorCode: view.cause.lastError?.code ?? null,
    updatedAt: Number(row.updated_at),
  };
}

/** A LIKE pattern matching `q` anywhere, with `\` escaping the wildcards. */
export function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
