/** Row shapes shared by both adapters (the Store interface speaks in these, never in SQL rows). */
import type {
  AnnouncementLog,
  HistoryEntry,
  ManualDecision,
  PlannedReaction,
  SessionRecord,
  SubjectView,
} from '../domain/index.js';
import type { FailureCodeCount, SubjectFacts } from '../domain/subject-facts.js';
import type { ExpectationWrite, StoredExpectation } from './expectation-records.js';

/** Exactly the statuses of DESIGN.md "Interfaces"; a leased event stays `pending` while a worker holds it. */
export const EVENT_STATUSES = ['pending', 'processed', 'ignored', 'failed', 'dead'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export interface NewEvent {
  id: string;
  type: string;
  livemode: boolean;
  /** Stripe's `created`, Unix seconds. */
  created: number;
  /** `data.object.id` (the vs_… for Identity events), when present. */
  objectId: string | null;
  status: 'pending' | 'ignored';
  ignoredReason: string | null;
  /** The body as received and verified, except a session's `client_secret` and `url`, which are nulled. */
  payload: string;
  receivedAt: number;
}

export interface EventRecord {
  id: string;
  type: string;
  livemode: boolean;
  created: number;
  objectId: string | null;
  status: EventStatus;
  ignoredReason: string | null;
  attempts: number;
  receivedAt: number;
  processedAt: number | null;
  lastError: string | null;
  /** The subject of the event's session, on the operators' reads (getEvent, listEvents) only. */
  subjectRef?: string | null;
}

export interface ClaimedEvent extends EventRecord {
  payload: string;
  leaseOwner: string;
}

export interface EventFailure {
  id: string;
  owner: string;
  error: string;
  now: number;
  /** When to try again; null marks the event dead. */
  retryAt: number | null;
}

// ---------------------------------------------------------------------------------------------------------
// Domain state, as stored. The domain's records travel as JSON; the store never interprets them beyond the
// columns it indexes.

export interface StoredSession {
  id: string;
  subjectRef: string | null;
  /** null while idv only knows the mapping (it created the session; no event yet). */
  record: SessionRecord | null;
}

export interface StoredSubject {
  ref: string;
  view: SubjectView;
  manualDecision: ManualDecision | null;
  /** What the subject has already announced (domain/announcements.ts); null before the first step. */
  announcements: AnnouncementLog | null;
  /** Where emails go: given by the app (sessions API) or `provided_details.email`. Personal data. */
  email: string | null;
  createdAt: number;
  updatedAt: number;
  /** Set when the subject was erased: only its states and times are left (a tombstone). */
  erasedAt: number | null;
  /** What the insights figures count (domain/subject-facts.ts), as last written. */
  facts: SubjectFacts;
}

export interface HistoryRecord {
  at: number;
  from: string | null;
  to: string;
  eventId: string | null;
  reason: string;
  decision: string;
  actor: string | null;
}

/**
 * `superseded`: Stripe's outcome moved the subject out of review before anyone decided (a late
 * verification, say), so the case is closed without a decision and no operator acts on it.
 * `retry_granted`: the reviewer gave the user one more attempt (decision `retry`).
 */
export const REVIEW_STATUSES = ['open', 'approved', 'rejected', 'superseded', 'retry_granted'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export interface ReviewRecord {
  id: string;
  subjectRef: string;
  status: ReviewStatus;
  topic: string;
  reason: string;
  sessionId: string | null;
  openedAt: number;
  decidedAt: number | null;
  note: string | null;
  actor: string | null;
  /** The operator holding the case (claim), by id and by name (personal); absent or null: unassigned. */
  ownerId?: string | null;
  owner?: string | null;
  claimedAt?: number | null;
}

/** Everything about one subject, for the app API and for decisions that need the whole picture. */
export interface SubjectSnapshot {
  subject: StoredSubject | null;
  sessions: StoredSession[];
  openReview: ReviewRecord | null;
  /** The comparisons of verified outputs with expected data, per session (expectation-records.ts). */
  expectations?: StoredExpectation[];
}

export interface SubjectDetail extends SubjectSnapshot {
  subject: StoredSubject;
  history: HistoryRecord[];
}

/** A review case to open (see SubjectChange.openReview). */
export interface NewReview {
  id: string;
  subjectRef: string;
  topic: string;
  reason: string;
  /** The planned reaction's idempotency key: the same cause never opens a second case. */
  causeKey: string;
  sessionId: string | null;
  openedAt: number;
}

/** One history row as written; `at` (milliseconds) is stored as given. */
export type HistoryWrite = HistoryEntry & { actor?: string | null };

/**
 * What a decision writes, atomically, for one subject. It is complete: the store adds nothing of its own
 * (no ids, no reasons, no times), it only writes what is here — src/outcomes/ computes it.
 */
export interface SubjectChange {
  sessions: StoredSession[];
  /** null: the subject row is not touched (e.g. an unlinked session). */
  subject: {
    ref: string;
    view: SubjectView;
    manualDecision: ManualDecision | null;
    announcements: AnnouncementLog;
    /** undefined keeps the stored address; null erases it. */
    email?: string | null;
    /** The insights columns after the change (domain/subject-facts.ts). */
    facts: SubjectFacts;
  } | null;
  /** Written only together with `subject`. */
  history: HistoryWrite[];
  /**
   * The subject's failure codes whose count of failed submissions changed (a new failure was met), with the
   * new counts; written only together with `subject`. Absent or empty for most changes.
   */
  failureCodes?: FailureCodeCount[];
  /** Emails and callbacks for the outbox; a key the outbox already holds is dropped. */
  reactions: PlannedReaction[];
  /**
   * Opens a review case, unless the subject already has an open one or this cause opened one before (both
   * are unique in the store, so concurrent writers cannot open two).
   */
  openReview?: NewReview;
  /** Closes the open review case with an operator's decision. */
  closeReview?: {
    id: string;
    status: 'approved' | 'rejected' | 'retry_granted';
    note: string;
    actor: string;
    at: number;
  };
  /** Closes a case without a decision: the subject left review before anyone decided. */
  supersedeReview?: { id: string; note: string; at: number };
  /**
   * Rewrites the stored payload of every event of a session (a redacted session loses its personal data at
   * once). A function, so the store never interprets payloads and an encrypting store can wrap it.
   */
  rewritePayloads?: { sessionIds: string[]; rewrite: (payload: string) => string };
  /**
   * Erases the subject's personal data beyond what the change itself rewrites: review notes and operators'
   * names on its cases and in its history; the subject is kept as a tombstone marked erased at `at`.
   */
  erase?: { at: number };
  /** Audit entries written in the same transaction as what they record. */
  audit?: AuditEntry[];
  /** Expected data and comparison states to write (expectation-records.ts). */
  expectations?: ExpectationWrite[];
}

/** One line of the audit log: who did what to which subject or case. `actor` is personal, `actorId` not. */
export interface AuditEntry {
  at: number;
  actor: string;
  actorId: string;
  action: string;
  subjectRef: string | null;
  target: string | null;
}

export interface AuditRecord extends AuditEntry {
  id: number;
}

/** How the worker applies one event: two pure callbacks run inside the store's transaction. */
export interface EventApplication {
  /** The subject the event's session belongs to, given what is stored for that session. */
  resolveSubject(stored: StoredSession | null): string | null;
  /** `snapshot` is null for an unlinked session. */
  decide(stored: StoredSession | null, snapshot: SubjectSnapshot | null): SubjectChange;
}

/** One claimed event and how to apply it (see Store.applyEvents). */
export interface EventToApply {
  claim: { eventId: string; owner: string; sessionId: string };
  application: EventApplication;
}

/** Per event of a batch: applied, skipped because the lease was lost, or failed with nothing written. */
export type ApplyOutcome = 'applied' | 'lease_lost' | { error: Error };

/** Turns a claimed event into its application; throws for an event that cannot be applied. */
export type PrepareEvent = (event: ClaimedEvent) => EventToApply;

/**
 * One event of EventApplier.processDueEvents: its outcome, or `unprepared` when `prepare` threw (nothing
 * written; the event stays leased to the owner, so failEvent records the try).
 */
export interface DueEventResult {
  event: ClaimedEvent;
  outcome: ApplyOutcome | { unprepared: Error };
}

export const OUTBOX_STATUSES = ['pending', 'done', 'skipped', 'failed', 'dead'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export interface OutboxRecord {
  id: number;
  idempotencyKey: string;
  kind: string;
  topic: string;
  subjectRef: string | null;
  sessionId: string | null;
  reaction: PlannedReaction;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  /** What the last try returned (e.g. the callback's HTTP status and body), kept for operators. */
  result: string | null;
  createdAt: number;
  completedAt: number | null;
}

export interface ReactionResult {
  id: number;
  owner: string;
  now: number;
  outcome: 'done' | 'skipped' | 'failed';
  /** Short text for operators: the skip reason, the callback's answer. Never personal data. */
  detail: string | null;
  /** For `failed`: when to try again; null makes it dead. */
  retryAt?: number | null;
}

/**
 * A verification report as the console caches it: checks, statuses, error codes, document type and issuing
 * country only. The names, dates, numbers and files are removed before it is stored (http/evidence.ts).
 */
export interface CachedReport {
  id: string;
  sessionId: string | null;
  report: Record<string, unknown>;
  fetchedAt: number;
}

/** A person signed in to the console: `id` is the SHA-256 of the cookie's secret, never the secret. */
export interface ConsoleSession {
  id: string;
  operatorId: string;
  createdAt: number;
  expiresAt: number;
}
