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
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { GroupCommitter } from '../group-commit.js';
import type {
  Backlog,
  ClaimOptions,
  ListEventsQuery,
  ListReactionsQuery,
  Page,
  Store,
  SubjectDecision,
} from '../store.js';
import type {
  ApplyOutcome,
  ClaimedEvent,
  EventToApply,
  EventFailure,
  EventRecord,
  NewEvent,
  OutboxRecord,
  ReactionResult,
  ReviewRecord,
  ReviewStatus,
  StoredSession,
  SubjectDetail,
} from '../records.js';
import { writeSubjectChange } from '../subject-writer.js';
import * as events from './event-sql.js';
import * as inbox from './inbox-sql.js';
import { SQLITE_MIGRATIONS } from './migrations/index.js';
import { migrateSqlite } from './migrate.js';
import * as outbox from './outbox-sql.js';
import { prepared } from './prepared.js';
import * as reads from './subject-reads.js';
import { sqliteSubjectStatements } from './subject-statements.js';
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
  readonly db: Database.Database;
  private readonly clock: () => number;
  private readonly inserter: GroupCommitter<NewEvent, { inserted: boolean }>;
  private readonly wal: Durability;
  private closed = false;

  constructor(options: SqliteStoreOptions) {
    if (options.filename !== ':memory:') mkdirSync(dirname(options.filename), { recursive: true });
    this.db = new Database(options.filename);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    const walPath = options.filename === ':memory:' ? null : `${options.filename}-wal`;
    this.wal = options.durability ? options.durability(walPath) : new WalSync(walPath);
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 2000}`);
    this.db.pragma('foreign_keys = ON');
    this.clock = options.clock ?? Date.now;
    this.inserter = new GroupCommitter(async (batch) => {
      const results = inbox.insertEvents(this.db, batch);
      await this.wal.sync();
      return results;
    });
  }

  async migrate(): Promise<{ applied: string[] }> {
    return { applied: migrateSqlite(this.db, SQLITE_MIGRATIONS, this.clock()) };
  }

  async ping(): Promise<void> {
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

  async listEvents(query: ListEventsQuery): Promise<Page<EventRecord>> {
    return inbox.listEvents(this.db, query);
  }

  async requeueEvents(selector: { ids: string[] } | { status: 'dead' }, now: number): Promise<number> {
    // An operator is told "replayed" next: the reset must survive a power loss.
    return this.durably(inbox.requeueEvents(this.db, selector, now));
  }

  async purgeEvents(before: number, limit: number): Promise<number> {
    return inbox.purgeEvents(this.db, before, limit);
  }

  async claimEvents(options: ClaimOptions): Promise<ClaimedEvent[]> {
    return events.claimEvents(this.db, options);
  }

  async failEvent(failure: EventFailure): Promise<void> {
    events.failEvent(this.db, failure);
  }

  async applyEvents(items: EventToApply[], now: number): Promise<ApplyOutcome[]> {
    return events.applyEvents(this.db, items, now);
  }

  async updateSubject<T>(ref: string, decide: SubjectDecision<T>, now: number): Promise<T> {
    const { result, changed } = this.db
      .transaction(() => {
        const { change, result } = decide(reads.loadSnapshot(this.db, ref));
        if (change) writeSubjectChange(sqliteSubjectStatements(this.db), change, now);
        return { result, changed: change !== null };
      })
      .immediate();
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

  async listReviews(query: { status?: ReviewStatus; limit: number }): Promise<ReviewRecord[]> {
    return reads.listReviews(this.db, query);
  }

  async listUnlinkedSessions(limit: number): Promise<StoredSession[]> {
    return reads.listUnlinkedSessions(this.db, limit);
  }

  async claimReactions(options: ClaimOptions): Promise<OutboxRecord[]> {
    const rows = outbox.claimReactions(this.db, options);
    if (rows.length === 0) return rows;
    // A reaction is about to be sent: the worker commit that planned it must be on disk first, or a power
    // loss could undo the plan after the email went out, and the email would go out again.
    try {
      await this.wal.sync();
    } catch (err) {
      // Nothing is sent, so the claim is handed back at once instead of holding the rows until the lease ends.
      outbox.releaseReactions(this.db, options.owner, rows.map((r) => r.id), options.now);
      throw err;
    }
    return rows;
  }

  async finishReaction(result: ReactionResult): Promise<void> {
    outbox.finishReaction(this.db, result);
  }

  async listReactions(query: ListReactionsQuery): Promise<OutboxRecord[]> {
    return outbox.listReactions(this.db, query);
  }

  async requeueReactions(selector: { ids: number[] } | { status: 'dead' }, now: number): Promise<number> {
    return this.durably(outbox.requeueReactions(this.db, selector, now));
  }

  /** `changed` rows were committed: resolves with it once they are on disk. */
  private async durably(changed: number): Promise<number> {
    if (changed > 0) await this.wal.sync();
    return changed;
  }

  async countBacklog(): Promise<Backlog> {
    return outbox.countBacklog(this.db);
  }
}
