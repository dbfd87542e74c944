/**
 * SQLite adapter (better-sqlite3 12.x; 13 needs Node 22). WAL mode. Every write whose caller answers someone
 * (a webhook's 2xx, a decision, a reaction about to be sent) resolves only after its WAL frames are synced
 * to disk — off the event loop, see wal-sync.ts — so an acknowledged event survives a power loss.
 * better-sqlite3 is synchronous, and one connection serves the receiver, worker and dispatcher of this
 * process, so no transaction ever interleaves with another; receiver inserts are group-committed
 * (store/group-commit.ts): one commit and one sync per batch.
 *
 * The statements live beside this file, one file per role (inbox-sql, event-sql, outbox-sql,
 * subject-reads, subject-statements); this class owns the connection and the durability rules.
 */
import { mkdirSync } from 'node:fs';
import { IdvError } from '../../errors.js';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { GroupCommitter } from '../group-commit.js';
import { claimThenApply } from '../claim-then-apply.js';
import { isSqliteRowError } from '../row-errors.js';
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
import { writeSync } from '../subject-writer.js';
import * as events from './event-sql.js';
import * as expectations from './expectation-sql.js';
import * as audit from './audit-sql.js';
import * as inbox from './inbox-sql.js';
import * as maintenance from './maintenance-sql.js';
import { SQLITE_MIGRATIONS } from './migrations/index.js';
import { migrateSqlite } from './migrate.js';
import * as operators from './operator-sql.js';
import * as outbox from './outbox-sql.js';
import * as queue from './review-queue-sql.js';
import * as subjectList from './subject-list-sql.js';
import * as insights from './stats-sql.js';
import type { StatsFigures, StatsQuery } from '../stats-records.js';
import { prepared } from './prepared.js';
import * as retention from './retention-sql.js';
import * as consoleSql from './console-sql.js';
import * as reads from './subject-reads.js';
import { sqliteSubjectStatements } from './subject-statements.js';
import { DatabaseFileWatch } from './file-watch.js';
import { hasRoom, isDiskFull } from './disk-space.js';
import { WalSync } from './wal-sync.js';

export interface SqliteStoreOptions {
  /** File path, or ':memory:'. */
  filename: string;
  /** How long a write waits for another connection's lock before failing (the receiver then answers 503). */
  busyTimeoutMs?: number;
  clock?: () => number;
  /**
   * How a commit is made durable before anyone is answered: default an fdatasync of the WAL off the event
   * loop (wal-sync.ts).
   */
  durability?: (walPath: string | null) => Durability;
}

/** Makes every commit made before `sync()` was called durable. */
export interface Durability {
  sync(): Promise<void>;
  close(): Promise<void>;
}

export function parseSqliteUrl(url: string): string {
  const path = url.replace(/^sqlite:(\/\/)?/, '');
  if (path === '') throw new Error('IDV_DATABASE_URL: sqlite: needs a file path, e.g. sqlite:./data/idv.db');
  return path;
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  /** The open connection; replaced when the database file was restored at its path (see ground()). */
  db: Database.Database;
  private readonly clock: () => number;
  private readonly inserter: GroupCommitter<NewEvent, { inserted: boolean }>;
  /** Reaction results are written, not synced: a lost one only means the reaction runs again. */
  private readonly finisher: GroupCommitter<ReactionResult, void>;
  private wal: Durability;
  private readonly watch: DatabaseFileWatch | null;
  /** A write failed for lack of space; cleared once there is room again. */
  private full = false;
  private closed = false;

  constructor(private readonly options: SqliteStoreOptions) {
    if (options.filename !== ':memory:') mkdirSync(dirname(options.filename), { recursive: true });
    this.db = this.connect();
    this.wal = this.durabilityFor();
    this.watch = options.filename === ':memory:' ? null : new DatabaseFileWatch(options.filename);
    this.clock = options.clock ?? Date.now;
    this.inserter = new GroupCommitter(
      (batch) => {
        this.ground();
        return this.writing(() => inbox.insertEvents(this.db, batch));
      },
      {
        isRowError: isSqliteRowError,
        durable: async () => {
          await this.wal.sync();
          // Checked again after the commit: never acknowledge into a file that is gone.
          this.ground();
          this.full = false;
        },
      },
    );
    this.finisher = new GroupCommitter<ReactionResult, void>(
      (batch) => {
        this.ground();
        this.writing(() => outbox.finishReactions(this.db, batch));
        return batch.map(() => undefined);
      },
      { isRowError: isSqliteRowError },
    );
  }

  private connect(): Database.Database {
    const db = new Database(this.options.filename);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // A checkpoint (and its two fsyncs) runs on the event loop, inside whichever commit crosses the
    // threshold: every 4,000 pages (~16 MB of WAL) instead of every 1,000 makes them four times rarer, and
    // pages written again in between are copied once.
    db.pragma('wal_autocheckpoint = 4000');
    db.pragma(`busy_timeout = ${this.options.busyTimeoutMs ?? 2000}`);
    db.pragma('foreign_keys = ON');
    // Deleted and overwritten content is zeroed, so personal data purged by redaction, erasure or retention
    // does not linger in free pages of the file.
    db.pragma('secure_delete = ON');
    return db;
  }

  private durabilityFor(): Durability {
    const walPath = this.options.filename === ':memory:' ? null : `${this.options.filename}-wal`;
    return this.options.durability ? this.options.durability(walPath) : new WalSync(walPath);
  }

  /**
   * Refuses to go on when the file at the path is not the one this connection writes to: deleted (503
   * until it is restored) or replaced (a restored backup: reopened, so work goes on without a restart).
   */
  private ground(): void {
    const state = this.watch?.state() ?? 'same';
    if (state === 'same') return;
    if (state === 'replaced') {
      void this.wal.close().catch(() => undefined);
      this.db.close();
      this.db = this.connect();
      this.wal = this.durabilityFor();
      this.watch!.reset();
      migrateSqlite(this.db, SQLITE_MIGRATIONS, this.clock());
      return;
    }
    throw new IdvError(
      'store_unavailable',
      'The database file is gone from its path; restore it (idv resumes by itself) or restart.',
    );
  }

  /** Runs a write; a failure for lack of space marks the store not ready until there is room again. */
  private writing<T>(write: () => T): T {
    try {
      return write();
    } catch (err) {
      if (isDiskFull(err)) this.full = true;
      throw err;
    }
  }

  async migrate(): Promise<{ applied: string[] }> {
    return { applied: migrateSqlite(this.db, SQLITE_MIGRATIONS, this.clock()) };
  }

  async ping(): Promise<void> {
    this.ground();
    if (this.full) {
      if (!hasRoom(this.db, this.options.filename)) {
        throw new IdvError(
          'store_unavailable',
          'The database is full: free disk space (or raise max_page_count).',
        );
      }
      this.full = false;
    }
    prepared(this.db, 'SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.wal.close();
    this.db.close();
  }

  insertEvent(event: NewEvent): Promise<{ inserted: boolean }> {
    return this.inserter.submit(event);
  }

  async getEvent(id: string): Promise<EventRecord | null> {
    return inbox.getEvent(this.db, id);
  }

  async getEventPayload(id: string): Promise<string | null> {
    return inbox.getEventPayload(this.db, id);
  }

  async listEvents(query: ListEventsQuery): Promise<Page<EventRecord>> {
    return inbox.listEvents(this.db, query);
  }

  async requeueEvents(selector: { ids: string[] } | { status: 'dead' }, now: number): Promise<number> {
    // An operator is told "replayed" next: the reset must survive a power loss.
    this.ground();
    return this.durably(this.writing(() => inbox.requeueEvents(this.db, selector, now)));
  }

  async purgeEvents(before: number, limit: number): Promise<number> {
    return inbox.purgeEvents(this.db, before, limit);
  }

  async purgeReactions(before: number, limit: number): Promise<number> {
    return this.writing(() => retention.purgeReactions(this.db, before, limit));
  }

  async purgeSubjects(before: number, limit: number): Promise<number> {
    return this.writing(() => retention.purgeSubjects(this.db, before, limit));
  }

  async purgeAudit(before: number, limit: number): Promise<number> {
    return this.writing(() => retention.purgeAudit(this.db, before, limit));
  }

  async claimEvents(options: ClaimOptions): Promise<ClaimedEvent[]> {
    this.ground();
    return this.writing(() => events.claimEvents(this.db, options));
  }

  async failEvent(failure: EventFailure): Promise<void> {
    this.ground();
    this.writing(() => events.failEvent(this.db, failure));
  }

  async applyEvents(items: EventToApply[], now: number): Promise<ApplyOutcome[]> {
    this.ground();
    return this.writing(() => events.applyEvents(this.db, items, now));
  }

  async processDueEvents(options: ClaimOptions, prepare: PrepareEvent): Promise<DueEventResult[]> {
    this.ground();
    const results = this.writing(() => events.processDueEvents(this.db, options, prepare));
    return results ?? claimThenApply(this, options, prepare);
  }

  async updateSubject<T>(ref: string, decide: SubjectDecision<T>, now: number): Promise<T> {
    this.ground();
    const { result, changed } = this.writing(() =>
      this.db
        .transaction(() => {
          const { change, result } = decide(reads.loadSnapshot(this.db, ref));
          if (change) writeSync(sqliteSubjectStatements(this.db), change, now);
          return { result, changed: change !== null };
        })
        .immediate(),
    );
    // The caller answers an operator or the app next: the change must be on disk first.
    if (changed) await this.wal.sync();
    return result;
  }

  async getSubject(ref: string): Promise<SubjectDetail | null> {
    return this.db.transaction(() => {
      const snapshot = reads.loadSnapshot(this.db, ref);
      if (!snapshot.subject) return null;
      return { ...snapshot, subject: snapshot.subject, history: reads.loadHistory(this.db, ref) };
    })();
  }

  async getReview(id: string): Promise<ReviewRecord | null> {
    return reads.getReview(this.db, id);
  }

  async getExpectation(sessionId: string): Promise<ExpectationValues | null> {
    return expectations.getExpectation(this.db, sessionId);
  }

  async listSessionEvents(sessionIds: string[]): Promise<ClaimedEventPayload[]> {
    return audit.listSessionEvents(this.db, sessionIds);
  }

  async recordAudit(entry: AuditEntry): Promise<void> {
    this.ground();
    this.writing(() => audit.recordAudit(this.db, entry));
    // The caller answers next (an export, a reveal): the record of it must be on disk first.
    await this.wal.sync();
  }

  async listAudit(query: AuditQuery): Promise<Page<AuditRecord>> {
    return audit.listAudit(this.db, query);
  }

  async listReviews(query: ReviewQuery): Promise<ReviewRecord[]> {
    return reads.listReviews(this.db, query);
  }

  async listUnlinkedSessions(limit: number): Promise<StoredSession[]> {
    return reads.listUnlinkedSessions(this.db, limit);
  }

  async claimReactions(options: ClaimOptions): Promise<OutboxRecord[]> {
    this.ground();
    const rows = this.writing(() => outbox.claimReactions(this.db, options));
    if (rows.length === 0) return rows;
    // A reaction is about to be sent: the worker commit that planned it must be on disk first, or a power
    // loss could undo the plan after the email went out, and the email would go out again.
    try {
      await this.wal.sync();
    } catch (err) {
      // Nothing is sent, so the claim is handed back at once instead of holding the rows until the lease ends.
      outbox.releaseReactions(
        this.db,
        options.owner,
        rows.map((r) => r.id),
        options.now,
      );
      throw err;
    }
    return rows;
  }

  async extendReactionLeases(lease: {
    owner: string;
    ids: number[];
    leaseMs: number;
    now: number;
  }): Promise<number> {
    this.ground();
    return this.writing(() =>
      outbox.extendLeases(this.db, lease.owner, lease.ids, lease.now + lease.leaseMs),
    );
  }

  finishReaction(result: ReactionResult): Promise<void> {
    return this.finisher.submit(result);
  }

  async listReactions(query: ListReactionsQuery): Promise<OutboxRecord[]> {
    return outbox.listReactions(this.db, query);
  }

  async getCachedReport(id: string): Promise<CachedReport | null> {
    return consoleSql.getCachedReport(this.db, id);
  }

  async createConsoleSession(session: ConsoleSession): Promise<void> {
    this.ground();
    this.writing(() => consoleSql.createConsoleSession(this.db, session));
    await this.wal.sync();
  }

  async findConsoleSession(id: string, now: number): Promise<ConsoleSession | null> {
    return consoleSql.findConsoleSession(this.db, id, now);
  }

  async deleteConsoleSession(id: string, now: number): Promise<void> {
    this.ground();
    this.writing(() => consoleSql.deleteConsoleSession(this.db, id, now));
    await this.wal.sync();
  }

  async cacheReport(entry: CachedReport): Promise<void> {
    this.ground();
    this.writing(() => consoleSql.cacheReport(this.db, entry));
  }

  async requeueReactions(selector: { ids: number[] } | { status: 'dead' }, now: number): Promise<number> {
    this.ground();
    return this.durably(this.writing(() => outbox.requeueReactions(this.db, selector, now)));
  }

  /** `changed` rows were committed: resolves with it once they are on disk. */
  private async durably(changed: number): Promise<number> {
    if (changed > 0) await this.wal.sync();
    return changed;
  }

  async rewriteColumn(
    column: PersonalColumn,
    after: string | number | null,
    limit: number,
    rewrite: (value: string) => string,
  ): Promise<RewritePage> {
    this.ground();
    const page = this.writing(() => maintenance.rewriteColumn(this.db, column, after, limit, rewrite));
    if (page.rewritten > 0) await this.wal.sync();
    return page;
  }

  async countBacklog(): Promise<Backlog> {
    return outbox.countBacklog(this.db);
  }

  // Operators: an operator is told "added" or "removed" next, so each write is on disk before it resolves.

  async addOperator(operator: NewOperator): Promise<void> {
    this.ground();
    this.writing(() => operators.addOperator(this.db, operator));
    await this.wal.sync();
  }

  async listOperators(): Promise<OperatorRecord[]> {
    return operators.listOperators(this.db);
  }

  async removeOperator(id: string): Promise<boolean> {
    this.ground();
    return (await this.durably(this.writing(() => (operators.removeOperator(this.db, id) ? 1 : 0)))) > 0;
  }

  async findOperatorByTokenHash(tokenHash: string): Promise<OperatorRecord | null> {
    return operators.findOperatorByTokenHash(this.db, tokenHash);
  }

  async listReviewQueue(query: ReviewQueueQuery): Promise<Page<ReviewRecord>> {
    return queue.listReviewQueue(this.db, query);
  }

  async claimReview(id: string, owner: { id: string; name: string }, now: number): Promise<ClaimResult> {
    this.ground();
    const result = this.writing(() => queue.claimReview(this.db, id, owner, now));
    if (result === 'claimed') await this.wal.sync();
    return result;
  }

  async releaseReview(id: string, ownerId: string | null): Promise<boolean> {
    this.ground();
    return (await this.durably(this.writing(() => (queue.releaseReview(this.db, id, ownerId) ? 1 : 0)))) > 0;
  }

  async listSubjects(query: ListSubjectsQuery): Promise<Page<SubjectSummary>> {
    return subjectList.listSubjects(this.db, query);
  }

  async stats(query: StatsQuery): Promise<StatsFigures> {
    return insights.stats(this.db, query);
  }
}
