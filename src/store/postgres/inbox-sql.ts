/** PostgreSQL statements of the inbox: receiver inserts, operator reads and replays, retention. */
import type pg from 'pg';
import type { ListEventsQuery, Page } from '../store.js';
import type { EventRecord, NewEvent } from '../records.js';
import { LISTED_EVENT_COLUMNS, toEventRecord, type EventRow } from '../rows.js';

type Queryable = Pick<pg.Pool, 'query'>;

/** One autocommit statement: it resolves after COMMIT, so no caller is answered before its row is durable. */
export async function insertEvents(db: Queryable, batch: NewEvent[]): Promise<{ inserted: boolean }[]> {
  const values: string[] = [];
  const params: unknown[] = [];
  for (const e of batch) {
    const p = params.length;
    values.push(
      `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6}, $${p + 7}, $${p + 8}, $${p + 9}, $${p + 8}, $${p + 10})`,
    );
    params.push(
      e.id,
      e.type,
      e.livemode,
      e.created,
      e.objectId,
      e.status,
      e.ignoredReason,
      e.receivedAt,
      e.status === 'ignored' ? e.receivedAt : null,
      e.payload,
    );
  }
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO events (id, type, livemode, created, object_id, status, ignored_reason, received_at,
       processed_at, next_attempt_at, payload)
     VALUES ${values.join(', ')}
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    params,
  );
  // The same id twice in one batch: the first caller stored it, the second is a duplicate (as on SQLite).
  const stored = new Set(rows.map((r) => r.id));
  return batch.map((e) => ({ inserted: stored.delete(e.id) }));
}

export async function getEvent(db: Queryable, id: string): Promise<EventRecord | null> {
  const { rows } = await db.query<EventRow>(`SELECT ${LISTED_EVENT_COLUMNS} FROM events WHERE id = $1`, [id]);
  return rows[0] ? toEventRecord(rows[0]) : null;
}

export async function getEventPayload(db: Queryable, id: string): Promise<string | null> {
  const { rows } = await db.query<{ payload: string }>('SELECT payload FROM events WHERE id = $1', [id]);
  return rows[0] ? rows[0].payload : null;
}

export async function listEvents(db: Queryable, query: ListEventsQuery): Promise<Page<EventRecord>> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.status) {
    params.push(query.status);
    where.push(`status = $${params.length}`);
  }
  if (query.startingAfter) {
    const cursor = await db.query<{ received_at: number; id: string }>(
      'SELECT received_at, id FROM events WHERE id = $1',
      [query.startingAfter],
    );
    const row = cursor.rows[0];
    if (!row) return { data: [], hasMore: false };
    params.push(row.received_at, row.id);
    where.push(`(received_at, id) < ($${params.length - 1}, $${params.length})`);
  }
  params.push(query.limit + 1);
  const { rows } = await db.query<EventRow>(
    `SELECT ${LISTED_EVENT_COLUMNS} FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY received_at DESC, id DESC LIMIT $${params.length}`,
    params,
  );
  return { data: rows.slice(0, query.limit).map(toEventRecord), hasMore: rows.length > query.limit };
}

export async function requeueEvents(
  db: Queryable,
  selector: { ids: string[] } | { status: 'dead' },
  now: number,
): Promise<number> {
  const reset = `UPDATE events SET status = 'pending', next_attempt_at = $1, lease_owner = NULL,
    lease_expires_at = NULL, attempts = 0, processed_at = NULL`;
  const result =
    'status' in selector
      ? await db.query(`${reset} WHERE status = 'dead'`, [now])
      : await db.query(`${reset} WHERE id = ANY($2::text[]) AND status IN ('processed', 'failed', 'dead')`, [
          now,
          selector.ids,
        ]);
  return result.rowCount ?? 0;
}

export async function purgeEvents(db: Queryable, before: number, limit: number): Promise<number> {
  const result = await db.query(
    `DELETE FROM events WHERE id IN (SELECT id FROM events
       WHERE received_at < $1 AND status IN ('processed', 'ignored') LIMIT $2)`,
    [before, limit],
  );
  return result.rowCount ?? 0;
}
