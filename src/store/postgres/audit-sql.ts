/** PostgreSQL statements of the audit log and of a subject's export. */
import type pg from 'pg';
import type { AuditEntry, AuditRecord } from '../records.js';
import { EVENT_COLUMNS, toAuditRecord, toEventRecord, type AuditRow, type EventRow } from '../rows.js';
import type { AuditQuery, ClaimedEventPayload, Page } from '../store.js';

type Queryable = Pick<pg.Pool, 'query'>;

export async function recordAudit(db: Queryable, e: AuditEntry): Promise<void> {
  await db.query(
    'INSERT INTO audit (at, actor, actor_id, action, subject_ref, target) VALUES ($1, $2, $3, $4, $5, $6)',
    [e.at, e.actor, e.actorId, e.action, e.subjectRef, e.target],
  );
}

export async function listAudit(db: Queryable, query: AuditQuery): Promise<Page<AuditRecord>> {
  const { rows } = await db.query<AuditRow>(
    `SELECT * FROM audit WHERE ($1::text IS NULL OR subject_ref = $1) AND ($2::text IS NULL OR actor_id = $2)
       AND ($3::bigint IS NULL OR id < $3) ORDER BY id DESC LIMIT $4`,
    [query.subjectRef ?? null, query.actorId ?? null, query.startingAfter ?? null, query.limit + 1],
  );
  const data = rows.slice(0, query.limit).map(toAuditRecord);
  return { data, hasMore: rows.length > query.limit };
}

export async function listSessionEvents(db: Queryable, sessionIds: string[]): Promise<ClaimedEventPayload[]> {
  const { rows } = await db.query<EventRow & { payload: string }>(
    `SELECT ${EVENT_COLUMNS}, payload FROM events WHERE object_id = ANY($1::text[]) ORDER BY received_at, id`,
    [sessionIds],
  );
  return rows.map((row) => ({ ...toEventRecord(row), payload: row.payload }));
}
