/**
 * PostgreSQL adapter (`pg` Pool): many `idv serve` processes share one database (DESIGN.md "Scale").
 * - Claims use `FOR UPDATE SKIP LOCKED` plus a lease: two workers never hold the same row, and the row of a
 *   worker that died is due again once its lease expires.
 * - Applying an event and updateSubject run on one client in one transaction, serialised per session and
 *   per subject with transaction-scoped advisory locks, so concurrent workers fold events into a subject
 *   one at a time.
 * - Receiver inserts are group-committed: concurrent requests share one multi-row INSERT (one commit, one
 *   WAL flush) and each is answered only after that commit.
 * - A dropped connection never crashes the process; calls fail (→ 503, /readyz 503) until the server answers
 *   again, and the pool reconnects by itself.
 *
 * The statements live beside this file, one file per role; this class owns the pool and the transactions.
 */
import type pg from 'pg';
import { GroupCommitter } from '../group-commit.js';
import { claimThenApply } from '../claim-then-apply.js';
import { isPostgresRowError } from '../row-errors.js';
import type { ExpectationValues } from '../expectation-records.js';
import type {
  AuditQuery,
  ClaimedEventPayload,
  ReviewQuery,
  Backlog,
  PersonalColumn,
  RewritePage,
  ClaimOptions,
  ListEventsQuery,
  ListReactionsQuery,
  Page,
  Store,
  SubjectDecision,
} from '../store.js';
import type {
  AuditEntry,
  AuditRecord,
  CachedReport,
  ConsoleSession,
  ApplyOutcome,
  DueEventResult,
  PrepareEvent,
  ClaimedEvent,
  EventToApply,
  EventFailure,
  EventRecord,
  NewEvent,
  OutboxRecord,
  ReactionResult,
  ReviewRecord,
  StoredSession,
  SubjectDetail,
} from '../records.js';
import type {
  ClaimResult,
  ListSubjectsQuery,
  SubjectSummary,
  ReviewQueueQuery,
  NewOperator,
  OperatorRecord,
} from '../operator-records.js';
import { writeInOrder } from '../subject-writer.js';
import { SKEW_REFRESH_MS, measureClockSkew } from './clock-skew.js';
import { createPool, inTransaction, withClient, type PostgresConnection } from './connection.js';
import { applyEvents } from './apply-events.js';
import * as events from './event-sql.js';
import * as expectations from './expectation-sql.js';
import * as audit from './audit-sql.js';
import * as inbox from './inbox-sql.js';
import * as maintenance from './maintenance-sql.js';
import { migratePostgres } from './migrate.js';
import { POSTGRES_MIGRATIONS } from './migrations/index.js';
import * as operators from './operator-sql.js';
import * as outbox from './outbox-sql.js';
import * as queue from './review-queue-sql.js';
import * as subjectList from './subject-list-sql.js';
import * as insights from './stats-sql.js';
import type { StatsFigures, StatsQuery } from '../stats-records.js';
import * as retention from './retention-sql.js';
import * as consoleSql from './console-sql.js';
import * as reads from './subject-reads.js';
import { postgresSubjectStatements } from './subject-statements.js';

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

/** Rows per receiver INSERT: 10 parameters each, far below PostgreSQL's 65,535-parameter limit. */
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
  /** Database clock minus this process's clock, ms; 0 while under a second (see clock-skew.ts). */
  private skewMs = 0;
  private readonly skewTimer: NodeJS.Timeout;

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
    this.inserter = new GroupCommitter(
      (batch) =>
        inbox.insertEvents(
          this.pool,
          batch.map((e) => ({ ...e, receivedAt: this.dbTime(e.receivedAt) })),
        ),
      { maxBatch: INSERT_BATCH, isRowError: isPostgresRowError },
    );
    this.skewTimer = setInterval(() => void this.measureSkew().catch(() => undefined), SKEW_REFRESH_MS);
    this.skewTimer.unref();
  }

  /** A time of this process's clock on the database's clock: leases and due times follow one clock. */
  private dbTime(ms: number): number {
    return ms + this.skewMs;
  }

  private dbTimes<T extends { now: number }>(options: T): T {
    return { ...options, now: this.dbTime(options.now) };
  }

  private async measureSkew(): Promise<void> {
    this.skewMs = await measureClockSkew(this.pool, this.clock);
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
    await this.measureSkew();
    return { applied };
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  close(): Promise<void> {
    clearInterval(this.skewTimer);
    return (this.closing ??= this.pool.end());
  }

  insertEvent(event: NewEvent): Promise<{ inserted: boolean }> {
    return this.inserter.submit(event);
  }

  getEvent(id: string): Promise<EventRecord | null> {
    return inbox.getEvent(this.pool, id);
  }

  getEventPayload(id: string): Promise<string | null> {
    return inbox.getEventPayload(this.pool, id);
  }

  listEvents(query: ListEventsQuery): Promise<Page<EventRecord>> {
    return inbox.listEvents(this.pool, query);
  }

  requeueEvents(selector: { ids: string[] } | { status: 'dead' }, now: number): Promise<number> {
    return inbox.requeueEvents(this.pool, selector, this.dbTime(now));
  }

  purgeEvents(before: number, limit: number): Promise<number> {
    return inbox.purgeEvents(this.pool, this.dbTime(before), limit);
  }

  purgeReactions(before: number, limit: number): Promise<number> {
    return retention.purgeReactions(this.pool, this.dbTime(before), limit);
  }

  purgeSubjects(before: number, limit: number): Promise<number> {
    return inTransaction(this.pool, this.onConnectionError, (client) =>
      retention.purgeSubjects(client, this.dbTime(before), limit),
    );
  }

  purgeAudit(before: number, limit: number): Promise<number> {
    return retention.purgeAudit(this.pool, this.dbTime(before), limit);
  }

  claimEvents(options: ClaimOptions): Promise<ClaimedEvent[]> {
    return events.claimEvents(this.pool, this.dbTimes(options));
  }

  failEvent(failure: EventFailure): Promise<void> {
    return events.failEvent(this.pool, {
      ...this.dbTimes(failure),
      retryAt: failure.retryAt === null ? null : this.dbTime(failure.retryAt),
    });
  }

  processDueEvents(options: ClaimOptions, prepare: PrepareEvent): Promise<DueEventResult[]> {
    return claimThenApply(this, options, prepare);
  }

  applyEvents(items: EventToApply[], now: number): Promise<ApplyOutcome[]> {
    const context = {
      pool: this.pool,
      onConnectionError: this.onConnectionError,
      lanes: this.applyConcurrency,
    };
    return applyEvents(context, items, this.dbTime(now));
  }

  updateSubject<T>(ref: string, decide: SubjectDecision<T>, now: number): Promise<T> {
    return inTransaction(this.pool, this.onConnectionError, async (client) => {
      await reads.lockKey(client, `idv:subject:${ref}`);
      const { change, result } = decide(await reads.loadSnapshot(client, ref));
      if (change) {
        await writeInOrder(postgresSubjectStatements(client), change, this.dbTime(now));
      }
      return result;
    });
  }

  getSubject(ref: string): Promise<SubjectDetail | null> {
    // One snapshot for the subject and its history, as SQLite's read transaction gives.
    return inTransaction(
      this.pool,
      this.onConnectionError,
      async (client) => {
        const snapshot = await reads.loadSnapshot(client, ref);
        if (!snapshot.subject) return null;
        return { ...snapshot, subject: snapshot.subject, history: await reads.loadHistory(client, ref) };
      },
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
  }

  getReview(id: string): Promise<ReviewRecord | null> {
    return reads.getReview(this.pool, id);
  }

  getExpectation(sessionId: string): Promise<ExpectationValues | null> {
    return expectations.getExpectation(this.pool, sessionId);
  }

  listSessionEvents(sessionIds: string[]): Promise<ClaimedEventPayload[]> {
    return audit.listSessionEvents(this.pool, sessionIds);
  }

  recordAudit(entry: AuditEntry): Promise<void> {
    return audit.recordAudit(this.pool, { ...entry, at: this.dbTime(entry.at) });
  }

  listAudit(query: AuditQuery): Promise<Page<AuditRecord>> {
    return audit.listAudit(this.pool, query);
  }

  listReviews(query: ReviewQuery): Promise<ReviewRecord[]> {
    return reads.listReviews(this.pool, query);
  }

  listUnlinkedSessions(limit: number): Promise<StoredSession[]> {
    return reads.listUnlinkedSessions(this.pool, limit);
  }

  claimReactions(options: ClaimOptions): Promise<OutboxRecord[]> {
    return outbox.claimReactions(this.pool, this.dbTimes(options));
  }

  extendReactionLeases(lease: {
    owner: string;
    ids: number[];
    leaseMs: number;
    now: number;
  }): Promise<number> {
    return outbox.extendLeases(this.pool, lease.owner, lease.ids, this.dbTime(lease.now) + lease.leaseMs);
  }

  finishReaction(result: ReactionResult): Promise<void> {
    return outbox.finishReaction(this.pool, {
      ...this.dbTimes(result),
      ...(result.retryAt == null ? {} : { retryAt: this.dbTime(result.retryAt) }),
    });
  }

  listReactions(query: ListReactionsQuery): Promise<OutboxRecord[]> {
    return outbox.listReactions(this.pool, query);
  }

  getCachedReport(id: string): Promise<CachedReport | null> {
    return consoleSql.getCachedReport(this.pool, id);
  }

  createConsoleSession(session: ConsoleSession): Promise<void> {
    return consoleSql.createConsoleSession(this.pool, session);
  }

  findConsoleSession(id: string, now: number): Promise<ConsoleSession | null> {
    return consoleSql.findConsoleSession(this.pool, id, now);
  }

  deleteConsoleSession(id: string, now: number): Promise<void> {
    return consoleSql.deleteConsoleSession(this.pool, id, now);
  }

  cacheReport(entry: CachedReport): Promise<void> {
    return consoleSql.cacheReport(this.pool, entry);
  }

  requeueReactions(selector: { ids: number[] } | { status: 'dead' }, now: number): Promise<number> {
    return outbox.requeueReactions(this.pool, selector, this.dbTime(now));
  }

  rewriteColumn(
    column: PersonalColumn,
    after: string | number | null,
    limit: number,
    rewrite: (value: string) => string,
  ): Promise<RewritePage> {
    return inTransaction(this.pool, this.onConnectionError, (client) =>
      maintenance.rewriteColumn(client, column, after, limit, rewrite),
    );
  }

  countBacklog(): Promise<Backlog> {
    return outbox.countBacklog(this.pool);
  }

  addOperator(operator: NewOperator): Promise<void> {
    return operators.addOperator(this.pool, operator);
  }

  listOperators(): Promise<OperatorRecord[]> {
    return operators.listOperators(this.pool);
  }

  removeOperator(id: string): Promise<boolean> {
    return operators.removeOperator(this.pool, id);
  }

  findOperatorByTokenHash(tokenHash: string): Promise<OperatorRecord | null> {
    return operators.findOperatorByTokenHash(this.pool, tokenHash);
  }

  listReviewQueue(query: ReviewQueueQuery): Promise<Page<ReviewRecord>> {
    return queue.listReviewQueue(this.pool, query);
  }

  claimReview(id: string, owner: { id: string; name: string }, now: number): Promise<ClaimResult> {
    return queue.claimReview(this.pool, id, owner, this.dbTime(now));
  }

  releaseReview(id: string, ownerId: string | null): Promise<boolean> {
    return queue.releaseReview(this.pool, id, ownerId);
  }

  listSubjects(query: ListSubjectsQuery): Promise<Page<SubjectSummary>> {
    return subjectList.listSubjects(this.pool, query);
  }

  stats(query: StatsQuery): Promise<StatsFigures> {
    return inTransaction(
      this.pool,
      this.onConnectionError,
      (client) => insights.stats(client, query),
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
  }
}
