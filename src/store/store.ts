/**
 * The Store: the only door to persistent state. Two adapters (sqlite/, postgres/) implement it with identical
 * behaviour, proven by the contract suite in test/contract/. Every method is atomic; anything that must change
 * several tables at once is one method (one transaction), so callers never hold a transaction open across
 * awaits. All times are milliseconds since the Unix epoch.
 */
import type {
  ApplyOutcome,
  ClaimedEvent,
  EventToApply,
  EventApplication,
  EventFailure,
  EventRecord,
  EventStatus,
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
} from './records.js';

export type * from './records.js';

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

export interface Store {
  readonly kind: 'sqlite' | 'postgres';

  /** Applies pending migrations (idempotent, safe when several processes start at once). */
  migrate(): Promise<{ applied: string[] }>;
  /** Resolves when the store can answer queries; rejects otherwise (used by /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;

  // Inbox (receiver path)
  /** Resolves only once the row is durable. `inserted: false` means the id was already stored. */
  insertEvent(event: NewEvent): Promise<{ inserted: boolean }>;
  getEvent(id: string): Promise<EventRecord | null>;
  listEvents(query: ListEventsQuery): Promise<Page<EventRecord>>;

  // Inbox (worker path)
  /** Leases due pending/failed events (oldest first), including ones whose lease expired. */
  claimEvents(options: ClaimOptions): Promise<ClaimedEvent[]>;
  /** Records a failed try: back to `failed` with a retry time, or `dead` when attempts are used up. */
  failEvent(failure: EventFailure): Promise<void>;
  /** Puts processed, failed or dead events back to pending (replay). Returns how many were reset. */
  requeueEvents(selector: { ids: string[] } | { status: 'dead' }, now: number): Promise<number>;
  /**
   * Retention: deletes up to `limit` processed or ignored events received before `before`; returns how many.
   * Pending, failed and dead events are kept whatever their age: they still need someone.
   */
  purgeEvents(before: number, limit: number): Promise<number>;

  /**
   * Applies one claimed event: resolves its subject, locks it, runs `decide` on what is stored, writes the
   * change and marks the event processed — all in one transaction. `lease_lost` (nothing written) when
   * another worker took the event over after this one's lease expired.
   */
  applyEvent(
    claim: { eventId: string; owner: string; sessionId: string },
    application: EventApplication,
    now: number,
  ): Promise<'applied' | 'lease_lost'>;

  /**
   * Applies a batch of claimed events, each exactly as applyEvent would: an event that fails leaves nothing
   * written and does not affect the others. Adapters may share one commit across the batch (SQLite does:
   * one fsync per batch instead of one per event).
   */
  applyEvents(items: EventToApply[], now: number): Promise<ApplyOutcome[]>;

  /** Runs `decide` on a subject's snapshot under the subject's lock and writes the change atomically. */
  updateSubject<T>(
    ref: string,
    decide: (snapshot: SubjectSnapshot) => { change: SubjectChange | null; result: T },
    now: number,
  ): Promise<T>;

  getSubject(ref: string): Promise<SubjectDetail | null>;
  /** Sessions no subject could be found for: kept and shown to operators, never dropped. */
  listUnlinkedSessions(limit: number): Promise<StoredSession[]>;

  // Outbox (dispatcher path)
  claimReactions(options: ClaimOptions): Promise<OutboxRecord[]>;
  finishReaction(result: ReactionResult): Promise<void>;
  listReactions(query: {
    subjectRef?: string;
    status?: OutboxStatus;
    limit: number;
  }): Promise<OutboxRecord[]>;
  /** Puts dead (or the given) reactions back to pending; returns how many. */
  requeueReactions(selector: { ids: number[] } | { status: 'dead' }, now: number): Promise<number>;

  /** Rows that still need something, by status, for /metrics (cheap: index range counts, no table scan). */
  countBacklog(): Promise<Backlog>;

  // Reviews
  listReviews(query: { status?: ReviewStatus; limit: number }): Promise<ReviewRecord[]>;
  getReview(id: string): Promise<ReviewRecord | null>;
}
