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
 * Redaction is a fact about one session, not a subject state, so it has its own planner.
 */
import type { SessionRecord } from './session.js';
import type { SubjectView } from './subject.js';
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
export type ReactionTopic = EmailTopic | CallbackType | ReviewTopic;

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
}

export interface ReactionContext {
  readonly eventId: string | null;
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
 * The reactions for a subject going from `before` to `after`: none when the outcome (state and cause)
 * is unchanged, otherwise those of the new state.
 */
export function planReactions(
  before: SubjectView | null,
  after: SubjectView,
  context: ReactionContext,
): PlannedReaction[] {
  if (isSameOutcome(before, after)) return [];
  return stepsFor(after).map(([kind, topic]) => ({
    kind,
    topic,
    idempotencyKey: idempotencyKey(after.ref, kind, topic, after.cause.key),
    subjectRef: after.ref,
    sessionId: after.cause.sessionId,
    state: after.state,
    lastError: after.cause.lastError,
    category: after.cause.category ?? null,
    eventId: context.eventId,
  }));
}

export interface SessionReactionContext extends ReactionContext {
  /** The owning subject's state after the event, when known, to put in the callback. */
  readonly subjectState?: SubjectState | null;
}

/**
 * Reactions that belong to one session rather than to the subject's outcome: today only
 * `verification.redacted`, planned once per session when redaction finishes (key `redacted:<vs_id>`).
 * The application must purge what it copied; the subject mapping is kept (reference 2.2), so the
 * callback still names the subject. An unlinked session's callback carries only the session id.
 */
export function planSessionReactions(
  before: SessionRecord | null,
  after: SessionRecord,
  context: SessionReactionContext,
): PlannedReaction[] {
  if (!after.redacted || before?.redacted === true) return [];
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
