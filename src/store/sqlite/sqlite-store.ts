/**
 * SQLite adapter (better-sqlite3 12.x; 13 needs Node 22). WAL with synchronous=FULL: a commit is fsync'd
 * before it returns, so an event acknowledged with 2xx survives a power loss. better-sqlite3 is synchronous,
 * and one connection serves the receiver, worker and dispatcher of this process, so no transaction ever
 * interleaves with another; receiver inserts are group-committed (store/group-commit.ts).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { GroupCommitter } from '../group-commit.js';
import type { ClaimOptions, ListEventsQuery, Page, Store } from '../store.js';
import type { ClaimedEvent, EventFailure, EventRecord, EventStatus, NewEvent } from '../records.js';
import { SQLITE_MIGRATIONS } from './migrations/index.js';
import { migrateSqlite } from './migrate.js';

export interface SqliteStoreOptions {
  /** File path, or ':memory:'. */
  filename: string;
  /** How long a write waits for another connection's lock before failing (the receiver then answers 503). */
  busyTimeoutMs?: number;
  clock?: () => number;
}

interface EventRow {
  id: string;
  type: string;
  livemode: number;
  created: number;
  object_id: string | null;
  status: EventStatus;
  ignored_reason: string | null;
  attempts: number;
  received_at: number;
  processed_at: number | null;
  last_error: string | null;
  payload?: string;
  lease_owner?: string | null;
}

const EVENT_COLUMNS =
  'id, type, livemode, created, object_id, status, ignored_reason, attempts, received_at, processed_at, last_error';

export function parseSqliteUrl(url: string): string {
  const path = url.replace(/^sqlite:(\/\/)?/, '');
  if (path === '') throw new Error('IDV_DATABASE_URL: sqlite: needs a file path, e.g. sqlite:./data/idv.db');
  return path;
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly db: Database.Database;
  private readonly clock: () => number;
  private readonly inserter: GroupCommitter<NewEvent, { inserted: boolean }>;
  private closed = false;

  constructor(options: SqliteStoreOptions) {
    if (options.filename !== ':memory:') mkdirSync(dirname(options.filename), { recursive: true });
    this.db = new Database(options.filename);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 2000}`);
    this.db.pragma('foreign_keys = ON');
    this.clock = options.clock ?? Date.now;
    this.inserter = new GroupCommitter((batch) => this.insertBatch(batch));
  }

  async migrate(): Promise<{ applied: string[] }> {
    return { applied: migrateSqlite(this.db, SQLITE_MIGRATIONS, this.clock()) };
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  insertEvent(event: NewEvent): Promise<{ inserted: boolean }> {
    return this.inserter.submit(event);
  }

  private insertBatch(batch: NewEvent[]): { inserted: boolean }[] {
    const insert = this.db.prepare(
      `INSERT INTO events (id, type, livemode, created, object_id, status, ignored_reason, received_at,
         processed_at, next_attempt_at, payload)
       VALUES (@id, @type, @livemode, @created, @objectId, @status, @ignoredReason, @receivedAt,
         @processedAt, @receivedAt, @payload)
       ON CONFLICT (id) DO NOTHING`,
    );
    return this.db
      .transaction((events: NewEvent[]) =>
        events.map((e) => ({
          inserted:
            insert.run({
              ...e,
              livemode: e.livemode ? 1 : 0,
              processedAt: e.status === 'ignored' ? e.receivedAt : null,
            }).changes > 0,
        })),
      )
      .immediate(batch);
  }

  async getEvent(id: string): Promise<EventRecord | null> {
    const row = this.db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = ?`).get(id) as
      EventRow | undefined;
    return row ? toEventRecord(row) : null;
  }

  async listEvents(query: ListEventsQuery): Promise<Page<EventRecord>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.status) {
      where.push('status = ?');
      params.push(query.status);
    }
    if (query.startingAfter) {
      const cursor = this.db
        .prepare('SELECT received_at, id FROM events WHERE id = ?')
        .get(query.startingAfter) as { received_at: number; id: string } | undefined;
      if (!cursor) return { data: [], hasMore: false };
      where.push('(received_at < ? OR (received_at = ? AND id < ?))');
      params.push(cursor.received_at, cursor.received_at, cursor.id);
    }
    const sql = `SELECT ${EVENT_COLUMNS} FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY received_at DESC, id DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...params, query.limit + 1) as EventRow[];
    return { data: rows.slice(0, query.limit).map(toEventRecord), hasMore: rows.length > query.limit };
  }

  async claimEvents(options: ClaimOptions): Promise<ClaimedEvent[]> {
    const { owner, limit, leaseMs, now } = options;
    // One writer at a time in SQLite, so select-then-update inside one transaction cannot race. An expired
    // lease on a pending row means its worker died: the row is due again.
    const rows = this.db
      .transaction(() => {
        const due = this.db
          .prepare(
            `SELECT ${EVENT_COLUMNS}, payload FROM events
           WHERE status IN ('pending', 'failed') AND next_attempt_at <= @now
             AND (lease_expires_at IS NULL OR lease_expires_at <= @now)
           ORDER BY next_attempt_at, received_at, id LIMIT @limit`,
          )
          .all({ now, limit }) as EventRow[];
        const lease = this.db.prepare(
          `UPDATE events SET status = 'pending', lease_owner = ?, lease_expires_at = ?, attempts = attempts + 1 WHERE id = ?`,
        );
        for (const row of due) lease.run(owner, now + leaseMs, row.id);
        return due;
      })
      .immediate();
    return rows.map((row) => ({
      ...toEventRecord({ ...row, status: 'pending', attempts: row.attempts + 1 }),
      payload: row.payload as string,
      leaseOwner: owner,
    }));
  }

  async failEvent(failure: EventFailure): Promise<void> {
    this.db
      .prepare(
        `UPDATE events SET status = @status, last_error = @error, next_attempt_at = @next,
           lease_owner = NULL, lease_expires_at = NULL
         WHERE id = @id AND lease_owner = @owner AND status = 'pending'`,
      )
      .run({
        id: failure.id,
        owner: failure.owner,
        error: failure.error,
        status: failure.retryAt === null ? 'dead' : 'failed',
        next: failure.retryAt ?? failure.now,
      });
  }

  async requeueEvents(selector: { ids: string[] } | { status: 'dead' }, now: number): Promise<number> {
    const reset = `UPDATE events SET status = 'pending', next_attempt_at = @now, lease_owner = NULL,
      lease_expires_at = NULL, attempts = 0, processed_at = NULL`;
    if ('status' in selector) {
      return this.db.prepare(`${reset} WHERE status = 'dead'`).run({ now }).changes;
    }
    const stmt = this.db.prepare(`${reset} WHERE id = @id AND status IN ('processed', 'failed', 'dead')`);
    return this.db.transaction((ids: string[]) =>
      ids.reduce((n, id) => n + stmt.run({ now, id }).changes, 0),
    )(selector.ids);
  }
}

function toEventRecord(row: EventRow): EventRecord {
  return {
    id: row.id,
    type: row.type,
    livemode: row.livemode === 1,
    created: row.created,
    objectId: row.object_id,
    status: row.status,
    ignoredReason: row.ignored_reason,
    attempts: row.attempts,
    receivedAt: row.received_at,
    processedAt: row.processed_at,
    lastError: row.last_error,
  };
}
