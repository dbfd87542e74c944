/** SQLite statements of the audit log and of a subject's export. */
import type { Database } from 'better-sqlite3';
import type { AuditEntry, AuditRecord } from '../records.js';
import { EVENT_COLUMNS, toAuditRecord, toEventRecord, type AuditRow, type EventRow } from '../rows.js';
import type { AuditQuery, ClaimedEventPayload, Page } from '../store.js';
import { prepared } from './prepared.js';

export function recordAudit(db: Database, e: AuditEntry): void {
  prepared(
    db,
    'INSERT INTO audit (at, actor, actor_id, action, subject_ref, target) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(e.at, e.actor, e.actorId, e.action, e.subjectRef, e.target);
}

export function listAudit(db: Database, query: AuditQuery): Page<AuditRecord> {
  const rows = prepared(
    db,
    `SELECT * FROM audit WHERE (@subject IS NULL OR subject_ref = @subject) AND (@actor IS NULL OR actor_id = @actor)
       AND (@after IS NULL OR id < @after) ORDER BY id DESC LIMIT @limit`,
  ).all({
    subject: query.subjectRef ?? null,
    actor: query.actorId ?? null,
    after: query.startingAfter ?? null,
    limit: query.limit + 1,
  }) as AuditRow[];
  return { data: rows.slice(0, query.limit).map(toAuditRecord), hasMore: rows.length > query.limit };
}

export function listSessionEvents(db: Database, sessionIds: string[]): ClaimedEventPayload[] {
  const select = prepared(
    db,
    `SELECT ${EVENT_COLUMNS}, payload FROM events WHERE object_id = ? ORDER BY received_at, id`,
  );
  return sessionIds.flatMap((id) =>
    (select.all(id) as (EventRow & { payload: string })[]).map((row) => ({
      ...toEventRecord(row),
      payload: row.payload,
    })),
  );
}
