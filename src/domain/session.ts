/**
 * The per-session state machine: folds Identity events into one {@link SessionRecord}, whatever order
 * they arrive in and however often.
 *
 * Why it is not a plain "last event wins": Stripe does not deliver in order, retries deliveries, may
 * send two Event objects for one change (reference 4.2), and a session's status is not monotonic
 * (`requires_input → processing → requires_input → … → verified`, plus Dashboard overrides in either
 * direction, reference 2.1). So:
 *
 * - The session's current status/last_error/report come from the NEWEST event seen, ordered by
 *   `(created, rank of the event type, event id)` — a total order, so any permutation of the same events
 *   ends in the same record (DESIGN.md "Ordering"). Ties on `created` are common (seconds, reference 4),
 *   and within one second the natural lifecycle order `created < processing < requires_input < verified
 *   < canceled < redacted` is the best guess; the event id only makes the result deterministic.
 * - Failed submissions are a SET keyed by verification report, filled by every event, stale or not:
 *   a failure that arrives late still used an attempt (DESIGN.md "Attempts").
 * - Redaction is sticky and never erases the subject mapping, because Stripe erases `metadata` on
 *   redaction (reference 2.2).
 *
 * The function is pure: the same (record, event) always gives the same result, and the record is never
 * mutated.
 */
import type { SessionEvent } from './session-event.js';
import type { ErrorCode, IdentityEventType, LastError, SessionStatus } from './terms.js';

/**
 * Rank of each event type for events with the same `created` second. `redacted` ranks last because
 * redaction finishes after everything else (up to four days, reference 2.2); its snapshot carries the
 * status the session kept (verified stays verified, requires_input became canceled), so applying it
 * keeps the status.
 */
export const EVENT_RANK: Readonly<Record<IdentityEventType, number>> = Object.freeze({
  'identity.verification_session.created': 0,
  'identity.verification_session.processing': 1,
  'identity.verification_session.requires_input': 2,
  'identity.verification_session.verified': 3,
  'identity.verification_session.canceled': 4,
  'identity.verification_session.redacted': 5,
});

/** Position of the last applied event in the total order. */
export interface AppliedMark {
  readonly eventId: string;
  readonly created: number;
  readonly rank: number;
}

/** One submission that ended in `requires_input` with a `last_error.code`: it used an attempt. */
export interface FailedSubmission {
  /** The `last_verification_report` id, or `${sessionId}:${code}` when there is none (see {@link failureKey}). */
  readonly key: string;
  readonly code: ErrorCode;
  readonly reason: string | null;
  /** `created` of the earliest event that reported it, Unix seconds. */
  readonly at: number;
}

export interface SessionRecord {
  readonly id: string;
  /** The subject this session belongs to; null = unlinked. Once set it is never cleared. */
  readonly subjectRef: string | null;
  readonly status: SessionStatus;
  readonly lastError: LastError | null;
  readonly lastReportId: string | null;
  /** Session creation, Unix seconds; orders the sessions of one subject. */
  readonly created: number;
  readonly livemode: boolean;
  /** Redaction finished (`redacted` event seen, or `redaction.status === 'redacted'`). Sticky. */
  readonly redacted: boolean;
  /** Redaction was requested (`redaction != null` in any snapshot). Sticky. */
  readonly redactionRequested: boolean;
  /**
   * `created` of the earliest event whose snapshot said `verified`, stale or not. Failures reported
   * after it are Dashboard overrides of a verified decision (see subject.ts, verified cause key).
   */
  readonly firstVerifiedAt: number | null;
  readonly applied: AppliedMark | null;
  /** Set semantics by `key`, sorted by key so equal sets are equal arrays. */
  readonly failures: readonly FailedSubmission[];
}

export type ApplyEffect = 'applied' | 'stale' | 'duplicate';

export interface ApplyResult {
  readonly record: SessionRecord;
  /**
   * `applied`: the snapshot is now the session's current state. `stale`: an older event; the status
   * was kept, but a failure or redaction it reports was still recorded. `duplicate`: the event last
   * applied, again; nothing changed. (An older event delivered twice is `stale` both times; the inbox
   * dedupes on event id first, and everything a stale event records is idempotent.)
   */
  readonly effect: ApplyEffect;
  /** The failed submission this event revealed for the first time, if any. */
  readonly newFailure: FailedSubmission | null;
}

export function markOf(ev: SessionEvent): AppliedMark {
  return { eventId: ev.eventId, created: ev.created, rank: EVENT_RANK[ev.type] };
}

/** Total order of events: negative when `a` is older than `b`. */
export function compareMarks(a: AppliedMark, b: AppliedMark): number {
  if (a.created !== b.created) return a.created - b.created;
  if (a.rank !== b.rank) return a.rank - b.rank;
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

/**
 * Identifies a submission. Reports are created "when all verification checks for a session are
 * processed", one per processed submission (reference 3.2, inferred), so the report id makes two Event
 * objects for the same failure count once. When the snapshot has no report — plausibly the
 * user-session failures such as `abandoned` or `consent_declined`, which process no checks
 * [unconfirmed] — there is no other stable id (event ids differ between duplicate Event objects), so
 * the key is `${sessionId}:${code}`: the same code failing twice in one session without reports counts
 * once. Under-counting is the safe side: over-counting would lock a user out for Stripe's duplicates.
 */
export function failureKey(sessionId: string, reportId: string | null, code: string): string {
  return reportId ?? `${sessionId}:${code}`;
}

/** The failed submission a snapshot describes, or null if it describes none. */
export function failureOf(ev: SessionEvent): FailedSubmission | null {
  const { session } = ev;
  const code = session.lastError?.code ?? null;
  // `requires_input` WITH a code is a failed submission; at creation it has no last_error (reference 2.1).
  if (session.status !== 'requires_input' || code === null) return null;
  return {
    key: failureKey(session.id, session.lastReportId, code),
    code,
    reason: session.lastError?.reason ?? null,
    at: ev.created,
  };
}

function byKey(a: FailedSubmission, b: FailedSubmission): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** Deterministic choice between two reports of one submission: the earliest, then the smaller reason. */
function earlier(a: FailedSubmission, b: FailedSubmission): FailedSubmission {
  if (a.at !== b.at) return a.at < b.at ? a : b;
  return (a.reason ?? '') <= (b.reason ?? '') ? a : b;
}

function addFailure(
  failures: readonly FailedSubmission[],
  failure: FailedSubmission | null,
): { failures: readonly FailedSubmission[]; isNew: boolean } {
  if (failure === null) return { failures, isNew: false };
  const existing = failures.find((f) => f.key === failure.key);
  if (existing === undefined) return { failures: [...failures, failure].sort(byKey), isNew: true };
  const kept = earlier(existing, failure);
  if (kept === existing) return { failures, isNew: false };
  return { failures: failures.map((f) => (f.key === failure.key ? kept : f)), isNew: false };
}

function isRedactionFinished(ev: SessionEvent): boolean {
  return ev.type === 'identity.verification_session.redacted' || ev.session.redactionStatus === 'redacted';
}

function minOrNull(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

/**
 * Folds one event into a session record. `subjectRef` is the caller's resolution for this event
 * (see `resolveSubjectRef`); it only fills an unlinked record and never replaces a known mapping.
 */
export function applySessionEvent(
  record: SessionRecord | null,
  ev: SessionEvent,
  subjectRef: string | null,
): ApplyResult {
  const { session } = ev;
  if (record !== null && record.id !== session.id) {
    throw new Error(`applySessionEvent: event ${ev.eventId} is for ${session.id}, not ${record.id}`);
  }
  if (record !== null && record.applied?.eventId === ev.eventId) {
    return { record, effect: 'duplicate', newFailure: null };
  }

  const mark = markOf(ev);
  const failure = failureOf(ev);
  const { failures, isNew } = addFailure(record?.failures ?? [], failure);
  const isNewer = record?.applied == null || compareMarks(mark, record.applied) > 0;
  const verifiedAt = session.status === 'verified' ? ev.created : null;

  // Facts every event contributes, stale or not. Each is a set union or a min, so their order does not matter.
  const accumulated = {
    subjectRef: record?.subjectRef ?? subjectRef,
    // Every snapshot carries the same `created`; the min keeps the parser's fallback order-independent.
    created: Math.min(record?.created ?? session.created, session.created),
    redacted: (record?.redacted ?? false) || isRedactionFinished(ev),
    redactionRequested: (record?.redactionRequested ?? false) || session.redacted,
    firstVerifiedAt: minOrNull(record?.firstVerifiedAt ?? null, verifiedAt),
    failures,
  };

  if (record === null || isNewer) {
    return {
      record: {
        id: session.id,
        status: session.status,
        lastError: session.lastError,
        lastReportId: session.lastReportId,
        livemode: session.livemode,
        applied: mark,
        ...accumulated,
      },
      effect: 'applied',
      newFailure: isNew ? failure : null,
    };
  }
  return { record: { ...record, ...accumulated }, effect: 'stale', newFailure: isNew ? failure : null };
}
