/**
 * The Store: the only door to persistent state. Two adapters (sqlite/, postgres/) implement it with identical
 * behaviour, proven by the contract suite in test/contract/. Every method is atomic; anything that must change
 * several tables at once is one method (one transaction), so callers never hold a transaction open across
 * awaits. All times are milliseconds since the Unix epoch.
 */
import type {
  ApplyOutcome,
  AuditEntry,
  AuditRecord,
  CachedReport,
  ConsoleSession,
  ClaimedEvent,
  DueEventResult,
  EventToApply,
  EventFailure,
  EventRecord,
  EventStatus,
  NewEvent,
  OutboxRecord,
  OutboxStatus,
  PrepareEvent,
  ReactionResult,
  ReviewRecord,
  ReviewStatus,
  StoredSession,
  SubjectChange,
  SubjectDetail,
  SubjectSnapshot,
} from './records.js';
import type {
  ClaimResult,
  ListSubjectsQuery,
  SubjectSummary,
  ReviewQueueQuery,
  NewOperator,
  OperatorRecord,
} from './operator-records.js';

export type * from './records.js';
export type * from './operator-records.js';
export type * from './expectation-records.js';
import type { ExpectationValues } from './expectation-records.js';
export type * from './stats-records.js';
import type { StatsFigures, StatsQuery } from './stats-records.js';
export type { PersonalColumn, RewritePage } from './personal-columns.js';
import type { PersonalColumn, RewritePage } from './personal-columns.js';

export interface ListEventsQuery {
  status?: EventStatus | undefined;
  limit: number;
  /** Id of the last event of the previous page (newest-first order). */
  startingAfter?: string | undefined;
}

export interface Page<T> {
  data: T[];
  hasMore: boolean;
}

export interface Backlog {
  events: { pending: number; failed: number; dead: number };
  reactions: { pending: number; failed: number; dead: number };
}

export interface ClaimOptions {
  owner: string;
  limit: number;
  leaseMs: number;
  now: number;
}

export interface ListReactionsQuery {
  subjectRef?: string;
  status?: OutboxStatus;
  limit: number;
  /** Id of the last reaction of the previous page (oldest-first order). */
  startingAfter?: number | undefined;
}

export type SubjectDecision<T> = (snapshot: SubjectSnapshot) => { change: SubjectChange | null; result: T };

/** Opening, migrating and closing the store; /readyz. */
export interface StoreLifecycle {
  readonly kind: 'sqlite' | 'postgres';
  /** Applies pending migrations (idempotent, safe when several processes start at once). */
  migrate(): Promise<{ applied: string[] }>;
  /** Resolves when the store can answer queries; rejects otherwise (used by /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The receiver's one write. */
export interface Inbox {
  /** Resolves only once the row is durable. `inserted: false` means the id was already stored. */
  insertEvent(event: NewEvent): Promise<{ inserted: boolean }>;
}

/** The event worker's side of the inbox. */
export interface EventApplier {
  /** Leases due pending/failed events (oldest first), including ones whose lease expired. */
  claimEvents(options: ClaimOptions): Promise<ClaimedEvent[]>;
  /** Records a failed try: back to `failed` with a retry time, or `dead` when attempts are used up. */
  failEvent(failure: EventFailure): Promise<void>;
  /**
   * Applies a batch of claimed events. Per event, in one transaction: resolve its subject, lock it, run
   * `decide` on what is stored, write the change, mark the event processed. An event that fails leaves
   * nothing written and does not affect the others; `lease_lost` (nothing written) when another worker took
   * the event over after this one's lease expired. Adapters may share one commit across the batch (SQLite
   * does: one fsync per batch instead of one per event).
   */
  applyEvents(items: EventToApply[], now: number): Promise<ApplyOutcome[]>;
  /**
   * Claims due events and applies them: the worker's round. Same result as claimEvents, then `prepare` on
   * each, then applyEvents; SQLite does it in one transaction without writing leases (it has one writer).
   */
  processDueEvents(options: ClaimOptions, prepare: PrepareEvent): Promise<DueEventResult[]>;
}

/** The dispatcher's side of the outbox. */
export interface Outbox {
  claimReactions(options: ClaimOptions): Promise<OutboxRecord[]>;
  /** Renews this owner's leases of `ids` to `now + leaseMs`; returns how many it still held. */
  extendReactionLeases(lease: {
    owner: string;
    ids: number[];
    leaseMs: number;
    now: number;
  }): Promise<number>;
  finishReaction(result: ReactionResult): Promise<void>;
}

/** Decisions on one subject (sessions API, review decisions) and the reads they answer with. */
export interface SubjectsAndReviews {
  /** Runs `decide` on a subject's snapshot under the subject's lock and writes the change atomically. */
  updateSubject<T>(ref: string, decide: SubjectDecision<T>, now: number): Promise<T>;
  getSubject(ref: string): Promise<SubjectDetail | null>;
  getReview(id: string): Promise<ReviewRecord | null>;
  /** One session's expectation with its personal values (the comparison, a reviewer); null when none. */
  getExpectation(sessionId: string): Promise<ExpectationValues | null>;
}

/** What operators read and replay (admin API, CLI, /metrics). */
export interface AdminQueries {
  /** One event with `subjectRef`, the subject of its session when one is known. */
  getEvent(id: string): Promise<EventRecord | null>;
  /** One event's payload as received (the console masks its personal fields); null when no such event. */
  getEventPayload(id: string): Promise<string | null>;
  /** Newest first, each with `subjectRef` as `getEvent` gives it. */
  listEvents(query: ListEventsQuery): Promise<Page<EventRecord>>;
  /** Puts processed, failed or dead events back to pending (replay). Returns how many were reset. */
  requeueEvents(selector: { ids: string[] } | { status: 'dead' }, now: number): Promise<number>;
  listReactions(query: ListReactionsQuery): Promise<OutboxRecord[]>;
  /** Puts dead (or the given) reactions back to pending; returns how many. */
  requeueReactions(selector: { ids: number[] } | { status: 'dead' }, now: number): Promise<number>;
  listReviews(query: ReviewQuery): Promise<ReviewRecord[]>;
  /** The stored events of these sessions with their payloads, oldest first (a subject's export). */
  listSessionEvents(sessionIds: string[]): Promise<ClaimedEventPayload[]>;
  /** Sessions no subject could be found for: kept and shown to operators, never dropped. */
  listUnlinkedSessions(limit: number): Promise<StoredSession[]>;
  /** Rows that still need something, by status, for /metrics (cheap: index range counts, no table scan). */
  countBacklog(): Promise<Backlog>;
}

/** The audit log: who did what, written durably before the caller is answered. */
export interface AuditLog {
  recordAudit(entry: AuditEntry): Promise<void>;
  /** Newest first; `startingAfter` is the id of the last entry of the previous page. */
  listAudit(query: AuditQuery): Promise<Page<AuditRecord>>;
}

export interface AuditQuery {
  subjectRef?: string | undefined;
  actorId?: string | undefined;
  limit: number;
  startingAfter?: number | undefined;
}

export interface ReviewQuery {
  status?: ReviewStatus | undefined;
  subjectRef?: string | undefined;
  limit: number;
}

export type ClaimedEventPayload = EventRecord & { payload: string };

/** Deletes what retention allows. */
export interface Retention {
  /**
   * Deletes up to `limit` processed or ignored events received before `before`; returns how many.
   * Pending, failed and dead events are kept whatever their age: they still need someone.
   */
  purgeEvents(before: number, limit: number): Promise<number>;
  /** Deletes up to `limit` done or skipped reactions completed before `before`. */
  purgeReactions(before: number, limit: number): Promise<number>;
  /**
   * Deletes up to `limit` subjects in a final state (verified, rejected, canceled) last updated before
   * `before`, each with its sessions, history, cases, reactions and the events of its sessions.
   */
  purgeSubjects(before: number, limit: number): Promise<number>;
  /** Deletes up to `limit` audit lines older than `before`. */
  purgeAudit(before: number, limit: number): Promise<number>;
}

/** Jobs over every personal value (idv rekey). */
export interface Maintenance {
  /**
   * Rewrites up to `limit` non-null values of one personal column, in key order after `after`, with
   * `rewrite` (a value it returns unchanged is not written). One transaction, durable when it resolves.
   */
  rewriteColumn(
    column: PersonalColumn,
    after: string | number | null,
    limit: number,
    rewrite: (value: string) => string,
  ): Promise<RewritePage>;
}

/** Named operators of the admin API and console (`idv operator add|list|remove`). */
export interface Operators {
  /** Throws IdvError `conflict` when the token hash is taken. */
  addOperator(operator: NewOperator): Promise<void>;
  listOperators(): Promise<OperatorRecord[]>;
  /** Returns whether an operator was removed; its token stops working at once. */
  removeOperator(id: string): Promise<boolean>;
  findOperatorByTokenHash(tokenHash: string): Promise<OperatorRecord | null>;
}

/** The review queue of the console: pages by status and owner; a reviewer takes a case and lets it go. */
export interface ReviewQueue {
  listReviewQueue(query: ReviewQueueQuery): Promise<Page<ReviewRecord>>;
  /** Takes an open case for `owner` (again, if theirs already). */
  claimReview(id: string, owner: { id: string; name: string }, now: number): Promise<ClaimResult>;
  /** Lets an open case go: `ownerId`'s claim, or anyone's when null. Returns whether one was held. */
  releaseReview(id: string, ownerId: string | null): Promise<boolean>;
}

/** The subjects list of the console. */
export interface SubjectList {
  /** Most recently updated first; nothing personal in a summary. */
  listSubjects(query: ListSubjectsQuery): Promise<Page<SubjectSummary>>;
}

/** Verification reports fetched from Stripe for the console, kept without personal data. */
export interface ReportCache {
  getCachedReport(id: string): Promise<CachedReport | null>;
  /** Stores or replaces the report `id`. */
  cacheReport(entry: CachedReport): Promise<void>;
}

/** The insights figures (GET /admin/api/stats), counted in SQL from what the store keeps. */
export interface Insights {
  stats(query: StatsQuery): Promise<StatsFigures>;
}

/** Console sign-ins: a session per cookie, until it expires or is signed out. */
export interface ConsoleSessions {
  createConsoleSession(session: ConsoleSession): Promise<void>;
  /** The session `id` while it has not expired at `now`. */
  findConsoleSession(id: string, now: number): Promise<ConsoleSession | null>;
  /** Signs `id` out, and forgets every session expired at `now`. */
  deleteConsoleSession(id: string, now: number): Promise<void>;
}

/** Everything an adapter implements; each caller takes only the role it needs. */
export interface Store
  extends
    StoreLifecycle,
    Inbox,
    EventApplier,
    Outbox,
    SubjectsAndReviews,
    AdminQueries,
    Retention,
    Operators,
    ReviewQueue,
    SubjectList,
    ReportCache,
    ConsoleSessions,
    Maintenance,
    AuditLog,
    Insights {}
