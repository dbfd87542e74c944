/** SQLite statements of the inbox: receiver inserts, operator reads and replays, retention. */
import type { Database } from 'better-sqlite3';
import type { ListEventsQuery, Page } from '../store.js';
import type { EventRecord, NewEvent } from '../records.js';
import { LISTED_EVENT_COLUMNS, toEventRecord, type EventRow } from '../rows.js';
import { prepared } from './prepared.js';

/** One transaction for a group-committed batch; the caller syncs the WAL before answering anyone. */
export function insertEvents(db: Database, batch: NewEvent[]): { inserted: boolean }[] {
  // Positional parameters: binding by name costs a property lookup per column, and the per-row object the
  // names would need is garbage on the receiver's hot path.
  const insert = prepared(
    db,
    `INSERT INTO events (id, type, livemode, created, object_id, status, ignored_reason, received_at,
       processed_at, next_attempt_at, payload)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO NOTHING`,
  );
  return db
    .transaction((events: NewEvent[]) =>
      events.map((e) => ({
        inserted:
          insert.run(
            e.id,
            e.type,
            e.livemode ? 1 : 0,
            e.created,
            e.objectId,
            e.status,
            e.ignoredReason,
            e.receivedAt,
            e.status === 'ignored' ? e.receivedAt : null,
            e.receivedAt,
            e.payload,
          ).changes > 0,
      })),
    )
    .immediate(batch);
}

export function getEvent(db: Database, id: string): EventRecord | null {
  const row = prepared(db, `SELECT ${LISTED_EVENT_COLUMNS} FROM events WHERE id = ?`).get(id) as
    EventRow | undefined;
  return row ? toEventRecord(row) : null;
}

export function getEventPayload(db: Database, id: string): string | null {
  const row = prepared(db, 'SELECT payload FROM events WHERE id = ?').get(id) as
    { payload: string } | undefined;
  return row ? row.payload : null;
}

export function listEvents(db: Database, query: ListEventsQuery): Page<EventRecord> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.status) {
    where.push('status = ?');
    params.push(query.status);
  }
  if (query.startingAfter) {
    const cursor = prepared(db, 'SELECT received_at, id FROM events WHERE id = ?').get(
      query.startingAfter,
    ) as { received_at: number; id: string } | undefined;
    if (!cursor) return { data: [], hasMore: false };
    where.push('(received_at < ? OR (received_at = ? AND id < ?))');
    params.push(cursor.received_at, cursor.received_at, cursor.id);
  }
  const sql = `SELECT ${LISTED_EVENT_COLUMNS} FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY received_at DESC, id DESC LIMIT ?`;
  const rows = prepared(db, sql).all(...params, query.limit + 1) as EventRow[];
  return { data: rows.slice(0, query.limit).map(toEventRecord), hasMore: rows.length > query.limit };
}

export function requeueEvents(
  db: Database,
  selector: { ids: string[] } | { status: 'dead' },
  now: number,
): number {
  const reset = `UPDATE events SET status = 'pending', next_attempt_at = @now, lease_owner = NULL,
    lease_expires_at = NULL, attempts = 0, processed_at = NULL`;
  if ('status' in selector) {
    return prepared(db, `${reset} WHERE status = 'dead'`).run({ now }).changes;
  }
  const stmt = prepared(db, `${reset} WHERE id = @id AND status IN ('processed', 'failed', 'dead')`);
  return db.transaction((ids: string[]) => ids.reduce((n, id) => n + stmt.run({ now, id }).changes, 0))(
    selector.ids,
  );
}

export function purgeEvents(db: Database, before: number, limit: number): number {
  return prepared(
    db,
    `DELETE FROM events WHERE rowid IN (SELECT rowid FROM events
         WHERE received_at < ? AND status IN ('processed', 'ignored') LIMIT ?)`,
  ).run(before, limit).changes;
}
