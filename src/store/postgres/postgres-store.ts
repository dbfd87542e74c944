/**
 * PostgreSQL adapter (`pg` Pool): many `idv serve` processes share one database (DESIGN.md "Scale").
 * - Claims use `FOR UPDATE SKIP LOCKED` plus a lease: two workers never hold the same row, and the row of a
 *   worker that died is due again once its lease expires.
 * - applyEvent/updateSubject run on one client in one transaction, serialised per session and per subject
 *   with transaction-scoped advisory locks, so concurrent workers fold events into a subject one at a time.
 * - Receiver inserts are group-committed: concurrent requests share one multi-row INSERT (one commit, one
 *   WAL flush) and each is answered only after that commit.
 * - A dropped connection never crashes the process; calls fail (→ 503, /readyz 503) until the server answers
 *   again, and the pool reconnects by itself.
 */
import type pg from 'pg';
import { GroupCommitter } from '../group-commit.js';
import { isPostgresRowError } from '../row-errors.js';
import type { Backlog, ClaimOptions, ListEventsQuery, Page, Store } from '../store.js';
import type {
  ApplyOutcome,
  ClaimedEvent,
  EventToApply,
  EventApplication,
  EventFailure,
  EventRecord,
  NewEvent,
  OutboxRecord,
  OutboxStatus,
  ReactionResult,
  ReviewRecord,
  ReviewStatus,
  StoredSession,
  SubjectChange,
  SubjectDetail,
  SubjectSnapshot,
} from '../records.js';
import { Rollback, createPool, inTransaction, withClient, type PostgresConnection } from './connection.js';
import { migratePostgres } from './migrate.js';
import { POSTGRES_MIGRATIONS } from './migrations/index.js';
import {
  EVENT_COLUMNS,
  OUTBOX_COLUMNS,
  toEventRecord,
  toOutboxRecord,
  toReview,
  toStoredSession,
  type EventRow,
  type OutboxRow,
  type ReviewRow,
  type SessionRow,
} from '../rows.js';
import { loadHistory, loadSession, loadSnapshot, lockKey, writeChange } from './subject-sql.js';

export interface PostgresStoreOptions {
  connection: PostgresConnection;
  /** Connections per process (IDV_PG_POOL_SIZE). */
  poolSize?: number;
  connectTimeoutMs?: number;
  queryTimeoutMs?: number;
  clock?: () => number;
  /** A connection went away (server restart, network, pg_terminate_backend). Logged; never fatal. */
  onConnectionError?: (err: Error) => void;
}

/** Rows per receiver INSERT: 9 parameters each, far below PostgreSQL's 65,535-parameter limit. */
const INSERT_BATCH = 500;

export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  readonly pool: pg.Pool;
  private readonly schema: string | null;
  private readonly clock: () => number;
  private readonly onConnectionError: (err: Error) => void;
  /** Events of one batch applied at once; leaves a connection free for the receiver and the dispatcher. */
  private readonly applyConcurrency: number;
  private readonly inserter: GroupCommitter<NewEvent, { inserted: boolean }>;
  private closing: Promise<void> | undefined;

  constructor(options: PostgresStoreOptions) {
    this.schema = options.connection.schema;
    this.clock = options.clock ?? Date.now;
    this.onConnectionError = options.onConnectionError ?? (() => undefined);
    this.applyConcurrency = Math.max(1, Math.min(8, (options.poolSize ?? 10) - 2));
    this.pool = createPool(options.connection, {
      poolSize: options.poolSize ?? 10,
      connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
      queryTimeoutMs: options.queryTimeoutMs ?? 30_000,
      onConnectionError: (err) => this.onConnectionError(err),
    });
    this.inserter = new GroupCommitter((batch) => this.insertBatch(batch), INSERT_BATCH, isPostgresRowError);
  }

  async migrate(): Promise<{ applied: string[] }> {
    const applied = await withClient(this.pool, this.onConnectionError, async (client, markBroken) => {
      try {
        return await migratePostgres(client, this.schema, POSTGRES_MIGRATIONS, this.clock());
      } catch (err) {
        // Closing the connection is what surely releases the session-level migration lock.
        markBroken(err as Error);
        throw err;
      }
    });
    return { applied };
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  close(): Promise<void> {
    return (this.closing ??= this.pool.end());
  }

  insertEvent(event: NewEvent): Promise<{ inserted: boolean }> {
    return this.inserter.submit(event);
  }

  /** One autocommit statement: it resolves after COMMIT, so no caller is answered before its row is durable. */
  private async insertBatch(batch: NewEvent[]): Promise<{ inserted: boolean }[]> {
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
    const { rows } = await this.pool.query<{ id: string }>(
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

  async getEvent(id: string): Promise<EventRecord | null> {
    const { rows } = await this.pool.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = $1`, [
      id,
    ]);
    return rows[0] ? toEventRecord(rows[0]) : null;
  }

  async listEvents(query: ListEventsQuery): Promise<Page<EventRecord>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.status) {
      params.push(query.status);
      where.push(`status = $${params.length}`);
    }
    if (query.startingAfter) {
      const cursor = await this.pool.query<{ received_at: number; id: string }>(
        'SELECT received_at, id FROM events WHERE id = $1',
        [query.startingAfter],
      );
      const row = cursor.rows[0];
      if (!row) return { data: [], hasMore: false };
      params.push(row.received_at, row.id);
      where.push(`(received_at, id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(query.limit + 1);
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY received_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return { data: rows.slice(0, query.limit).map(toEventRecord), hasMore: rows.length > query.limit };
  }

  async claimEvents(options: ClaimOptions): Promise<ClaimedEvent[]> {
    const { owner, limit, leaseMs, now } = options;
    // SKIP LOCKED: rows another worker is claiming right now are passed over, not waited for. An expired
    // lease on a pending row means its worker died: the row is due again.
    const { rows } = await this.pool.query<EventRow & { payload: string; next_attempt_at: number }>(
      `WITH due AS (
         SELECT id FROM events
         WHERE status IN ('pending', 'failed') AND next_attempt_at <= $1
           AND (lease_expires_at IS NULL OR lease_expires_at <= $1)
         ORDER BY next_attempt_at, received_at, id
         LIMIT $2
         FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE events e SET status = 'pending', lease_owner = $3, lease_expires_at = $4, next_attempt_at = $4,
           attempts = e.attempts + 1
         FROM due WHERE e.id = due.id
         RETURNING e.${EVENT_COLUMNS.split(', ').join(', e.')}, e.payload, e.next_attempt_at
       )
       SELECT * FROM claimed ORDER BY next_attempt_at, received_at, id`,
      [now, limit, owner, now + leaseMs],
    );
    return rows.map((row) => ({ ...toEventRecord(row), payload: row.payload, leaseOwner: owner }));
  }

  async failEvent(failure: EventFailure): Promise<void> {
    await this.pool.query(
      `UPDATE events SET status = $1, last_error = $2, next_attempt_at = $3, lease_owner = NULL, lease_expires_at = NULL
       WHERE id = $4 AND lease_owner = $5 AND status = 'pending'`,
      [
        failure.retryAt === null ? 'dead' : 'failed',
        failure.error,
        failure.retryAt ?? failure.now,
        failure.id,
        failure.owner,
      ],
    );
  }

  async requeueEvents(selector: { ids: string[] } | { status: 'dead' }, now: number): Promise<number> {
    const reset = `UPDATE events SET status = 'pending', next_attempt_at = $1, lease_owner = NULL,
      lease_expires_at = NULL, attempts = 0, processed_at = NULL`;
    const result =
      'status' in selector
        ? await this.pool.query(`${reset} WHERE status = 'dead'`, [now])
        : await this.pool.query(
            `${reset} WHERE id = ANY($2::text[]) AND status IN ('processed', 'failed', 'dead')`,
            [now, selector.ids],
          );
    return result.rowCount ?? 0;
  }

  async purgeEvents(before: number, limit: number): Promise<number> {
    const result = await this.pool.query(
      `DELETE FROM events WHERE id IN (SELECT id FROM events
         WHERE received_at < $1 AND status IN ('processed', 'ignored') LIMIT $2)`,
      [before, limit],
    );
    return result.rowCount ?? 0;
  }

  async applyEvent(
    claim: { eventId: string; owner: string; sessionId: string },
    application: EventApplication,
    now: number,
  ): Promise<'applied' | 'lease_lost'> {
    return inTransaction(this.pool, this.onConnectionError, async (client) => {
      await lockKey(client, `idv:session:${claim.sessionId}`);
      const stored = await loadSession(client, claim.sessionId);
      const ref = application.resolveSubject(stored);
      let snapshot: SubjectSnapshot | null = null;
      if (ref !== null) {
        await lockKey(client, `idv:subject:${ref}`);
        snapshot = await loadSnapshot(client, ref);
      }
      await writeChange(client, application.decide(stored, snapshot), now);
      // Last, so the row lock is held only briefly: if another worker took the event over after this one's
      // lease expired, nothing above is kept.
      const marked = await client.query(
        `UPDATE events SET status = 'processed', processed_at = $1, last_error = NULL, lease_owner = NULL,
           lease_expires_at = NULL
         WHERE id = $2 AND lease_owner = $3 AND status = 'pending'`,
        [now, claim.eventId, claim.owner],
      );
      if (marked.rowCount !== 1) throw new Rollback('lease_lost' as const);
      return 'applied' as const;
    });
  }

  async applyEvents(items: EventToApply[], now: number): Promise<ApplyOutcome[]> {
    // One transaction per event, several at once: PostgreSQL commits concurrent transactions together, and
    // per-event transactions keep the advisory locks short (one batch-wide transaction could deadlock with
    // another worker's batch taking the same subjects in another order).
    const outcomes: ApplyOutcome[] = new Array(items.length);
    let next = 0;
    const lane = async () => {
      while (next < items.length) {
        const i = next++;
        const item = items[i]!;
        try {
          outcomes[i] = await this.applyEvent(item.claim, item.application, now);
        } catch (err) {
          outcomes[i] = { error: err instanceof Error ? err : new Error(String(err)) };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.applyConcurrency, items.length) }, lane));
    return outcomes;
  }

  async updateSubject<T>(
    ref: string,
    decide: (snapshot: SubjectSnapshot) => { change: SubjectChange | null; result: T },
    now: number,
  ): Promise<T> {
    return inTransaction(this.pool, this.onConnectionError, async (client) => {
      await lockKey(client, `idv:subject:${ref}`);
      const { change, result } = decide(await loadSnapshot(client, ref));
      if (change) await writeChange(client, change, now);
      return result;
    });
  }

  async getSubject(ref: string): Promise<SubjectDetail | null> {
    // One snapshot for the subject and its history, as SQLite's read transaction gives.
    return inTransaction(
      this.pool,
      this.onConnectionError,
      async (client) => {
        const snapshot = await loadSnapshot(client, ref);
        if (!snapshot.subject) return null;
        return { ...snapshot, subject: snapshot.subject, history: await loadHistory(client, ref) };
      },
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
  }

  async listUnlinkedSessions(limit: number): Promise<StoredSession[]> {
    const { rows } = await this.pool.query<SessionRow>(
      'SELECT id, subject_ref, record FROM sessions WHERE subject_ref IS NULL ORDER BY updated_at DESC LIMIT $1',
      [limit],
    );
    return rows.map(toStoredSession);
  }

  async claimReactions(options: ClaimOptions): Promise<OutboxRecord[]> {
    const { owner, limit, leaseMs, now } = options;
    const { rows } = await this.pool.query<OutboxRow>(
      `WITH due AS (
         SELECT id FROM outbox
         WHERE status IN ('pending', 'failed') AND next_attempt_at <= $1
           AND (lease_expires_at IS NULL OR lease_expires_at <= $1)
         ORDER BY next_attempt_at, id
         LIMIT $2
         FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE outbox o SET lease_owner = $3, lease_expires_at = $4, next_attempt_at = $4, attempts = o.attempts + 1
         FROM due WHERE o.id = due.id
         RETURNING o.${OUTBOX_COLUMNS.split(', ').join(', o.')}
       )
       SELECT * FROM claimed ORDER BY next_attempt_at, id`,
      [now, limit, owner, now + leaseMs],
    );
    return rows.map(toOutboxRecord);
  }

  async finishReaction(result: ReactionResult): Promise<void> {
    const failed = result.outcome === 'failed';
    const status = failed ? (result.retryAt == null ? 'dead' : 'failed') : result.outcome;
    await this.pool.query(
      `UPDATE outbox SET status = $1, lease_owner = NULL, lease_expires_at = NULL,
         last_error = CASE WHEN $2::boolean THEN $3 ELSE last_error END, result = $3,
         next_attempt_at = COALESCE($4::bigint, next_attempt_at),
         completed_at = CASE WHEN $2::boolean THEN NULL ELSE $5::bigint END
       WHERE id = $6 AND lease_owner = $7`,
      [
        status,
        failed,
        result.detail,
        failed ? (result.retryAt ?? null) : null,
        result.now,
        result.id,
        result.owner,
      ],
    );
  }

  async listReactions(query: {
    subjectRef?: string;
    status?: OutboxStatus;
    limit: number;
  }): Promise<OutboxRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.subjectRef !== undefined) {
      params.push(query.subjectRef);
      where.push(`subject_ref = $${params.length}`);
    }
    if (query.status !== undefined) {
      params.push(query.status);
      where.push(`status = $${params.length}`);
    }
    params.push(query.limit);
    const { rows } = await this.pool.query<OutboxRow>(
      `SELECT ${OUTBOX_COLUMNS} FROM outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY id LIMIT $${params.length}`,
      params,
    );
    return rows.map(toOutboxRecord);
  }

  async requeueReactions(selector: { ids: number[] } | { status: 'dead' }, now: number): Promise<number> {
    const reset = `UPDATE outbox SET status = 'pending', next_attempt_at = $1, attempts = 0, lease_owner = NULL,
      lease_expires_at = NULL, completed_at = NULL`;
    const result =
      'status' in selector
        ? await this.pool.query(`${reset} WHERE status = 'dead'`, [now])
        : await this.pool.query(`${reset} WHERE id = ANY($2::bigint[]) AND status IN ('dead', 'failed')`, [
            now,
            selector.ids,
          ]);
    return result.rowCount ?? 0;
  }

  async countBacklog(): Promise<Backlog> {
    const count = async (table: 'events' | 'outbox') => {
      const { rows } = await this.pool.query<{ status: 'pending' | 'failed' | 'dead'; n: number }>(
        `SELECT status, count(*)::int AS n FROM ${table} WHERE status IN ('pending', 'failed', 'dead') GROUP BY status`,
      );
      const counts = { pending: 0, failed: 0, dead: 0 };
      for (const row of rows) counts[row.status] = row.n;
      return counts;
    };
    return { events: await count('events'), reactions: await count('outbox') };
  }

  async listReviews(query: { status?: ReviewStatus; limit: number }): Promise<ReviewRecord[]> {
    const { rows } = query.status
      ? await this.pool.query<ReviewRow>(
          'SELECT * FROM reviews WHERE status = $1 ORDER BY opened_at, id LIMIT $2',
          [query.status, query.limit],
        )
      : await this.pool.query<ReviewRow>('SELECT * FROM reviews ORDER BY opened_at DESC, id LIMIT $1', [
          query.limit,
        ]);
    return rows.map(toReview);
  }

  async getReview(id: string): Promise<ReviewRecord | null> {
    const { rows } = await this.pool.query<ReviewRow>('SELECT * FROM reviews WHERE id = $1', [id]);
    return rows[0] ? toReview(rows[0]) : null;
  }
}
