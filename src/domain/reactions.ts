/**
 * Plans the side effects of an outcome: emails to the user, callbacks to the application and review
 * cases for operators. Planning is pure; the worker writes the plan to the outbox in the same
 * transaction as the state, and the dispatcher runs it (DESIGN.md "Processes and flow").
 *
 * Why keyed on `(state, cause.key)` and not on the event: Stripe may deliver one change as several
 * Event objects (reference 4.2) and events arrive out of order, so a reaction is planned only when the
 * subject's outcome changes, and its idempotency key `${subjectRef}:${kind}:${topic}:${cause.key}` is
 * the same whichever Event caused it. The outbox drops a key it already holds.
 *
 * Only outcome states react; `unverified`, `pending` and `processing` are waypoints and plan nothing.
 * The comparison is against the last ANNOUNCED outcome, not the previous view (see announcements.ts,
 * which also explains the `#n` suffix of a repeated announcement); `stepSubject` does that bookkeeping.
 *
 * Redaction is a fact about one session, not a subject state, so it has its own planner.
 */
import type { SessionRecord } from './session.js';
import type { OutcomeKey, SubjectView } from './subject.js';
import { isSameOutcome } from './subject.js';
import type {
  CallbackType,
  EmailTopic,
  ErrorCategory,
  LastError,
  ReactionKind,
  SubjectState,
} from './terms.js';

/** A review case is opened for a plain review or for an alternative-method follow-up. */
export type ReviewTopic = 'review' | 'alternative';
/** `verified_outputs`: fetch a verified session's outputs and compare them with the expected data. */
export type ReactionTopic = EmailTopic | CallbackType | ReviewTopic | 'verified_outputs';

export interface PlannedReaction {
  readonly kind: ReactionKind;
  readonly topic: ReactionTopic;
  readonly idempotencyKey: string;
  /** null only for a redacted session that was never linked to a subject. */
  readonly subjectRef: string | null;
  readonly sessionId: string | null;
  /** The subject state the reaction announces; null when unknown (redaction of an unlinked session). */
  readonly state: SubjectState | null;
  /** `last_error` to show (its `reason` may be shown to the user, reference 3.1). */
  readonly lastError: LastError | null;
  readonly category: ErrorCategory | null;
  /** The event that caused the plan, for tracing; null for an operator's decision. */
  readonly eventId: string | null;
  /** The comparison with the app's expected data (no personal values), when it expected any. */
  readonly match?: { readonly status: string; readonly fields: Readonly<Record<string, string>> | null };
}

export interface ReactionContext {
  readonly eventId: string | null;
  /**
   * The cause part of the idempotency keys; defaults to `after.cause.key`. `stepSubject` passes
   * `${cause.key}#n` for the n-th announcement of the same cause (see announcements.ts).
   */
  readonly causeTag?: string;
}

export function idempotencyKey(
  subjectRef: string | null,
  kind: ReactionKind,
  topic: ReactionTopic,
  causeKey: string,
): string {
  return `${subjectRef ?? 'unlinked'}:${kind}:${topic}:${causeKey}`;
}

type Step = readonly [ReactionKind, ReactionTopic];

function stepsFor(after: SubjectView): readonly Step[] {
  switch (after.state) {
    case 'verified':
      return [
        ['email', 'verified'],
        ['callback', 'verification.verified'],
      ];
    case 'retry_required':
      return [
        ['email', 'retry_required'],
        ['callback', 'verification.retry_required'],
      ];
    case 'in_review': {
      const alternative = after.cause.category === 'alternative';
      return [
        ['email', alternative ? 'alternative_method' : 'in_review'],
        ['callback', 'verification.needs_review'],
        ['review_case', alternative ? 'alternative' : 'review'],
      ];
    }
    case 'rejected':
      return [
        ['email', 'rejected'],
        ['callback', 'verification.rejected'],
      ];
    case 'canceled':
      return [['callback', 'verification.canceled']];
    case 'unverified':
    case 'pending':
    case 'processing':
      return [];
  }
}

/**
 * The reactions for a subject now at `after`, given `lastAnnounced`, the last outcome that was
 * announced (a `SubjectView` or its `outcomeKeyOf`; null if none): nothing when the outcome (state and
 * cause) is the one already announced, otherwise the reactions of the new state.
 */
export function planReactions(
  lastAnnounced: OutcomeKey | null,
  after: SubjectView,
  context: ReactionContext,
): PlannedReaction[] {
  if (isSameOutcome(lastAnnounced, after)) return [];
  const causeTag = context.causeTag ?? after.cause.key;
  return stepsFor(after).map(([kind, topic]) => ({
    kind,
    topic,
    idempotencyKey: idempotencyKey(after.ref, kind, topic, causeTag),
    subjectRef: after.ref,
    sessionId: after.cause.sessionId,
    state: after.state,
    lastError: after.cause.lastError,
    category: after.cause.category ?? null,
    eventId: context.eventId,
    ...(after.match ? { match: { status: after.match.status, fields: after.match.fields } } : {}),
  }));
}

export interface SessionReactionContext extends ReactionContext {
  /** The owning subject's state after the event, when known, to put in the callback. */
  readonly subjectState?: SubjectState | null;
}

/**
 * Reactions that belong to one session rather than to the subject's outcome: today only
 * `verification.redacted`, planned once per session (key `redacted:<vs_id>`) when the session is both
 * redacted and linked to a subject — whichever of the two happens last, so the plan does not depend on
 * event order (a `redacted` event carries erased metadata, reference 2.2, and may arrive before the
 * event that names the subject). The application must purge what it copied. A session that is never
 * linked is not announced: the application has no user for it; operators see it as unlinked.
 */
export function planSessionReactions(
  before: SessionRecord | null,
  after: SessionRecord,
  context: SessionReactionContext,
): PlannedReaction[] {
  const announced = (r: SessionRecord | null) => r !== null && r.redacted && r.subjectRef !== null;
  if (!announced(after) || announced(before)) return [];
  const topic: CallbackType = 'verification.redacted';
  return [
    {
      kind: 'callback',
      topic,
      idempotencyKey: idempotencyKey(after.subjectRef, 'callback', topic, `redacted:${after.id}`),
      subjectRef: after.subjectRef,
      sessionId: after.id,
      state: context.subjectState ?? null,
      lastError: null,
      category: null,
      eventId: context.eventId,
    },
  ];
}
