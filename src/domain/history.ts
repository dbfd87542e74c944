/**
 * Builds the history entry for a subject transition. DESIGN.md "Subject states": every transition is
 * recorded with the event id and the policy decision that caused it, so an operator can answer "why is
 * this user in review?" from the history alone. A transition is a change of state OR of cause (a second
 * failed submission keeps `retry_required` but is a new fact), the same test reactions use, so history
 * and outbox never disagree about what happened.
 */
import { isSameOutcome } from './subject.js';
import type { SubjectView } from './subject.js';
import type { SubjectState } from './terms.js';

export interface HistoryEntry {
  /** When the transition was recorded, milliseconds since the epoch, from the caller's clock. */
  readonly at: number;
  /** null for the subject's first entry. */
  readonly from: SubjectState | null;
  readonly to: SubjectState;
  /** The Stripe event that caused it; null for an operator's decision or a policy change. */
  readonly eventId: string | null;
  readonly reason: string;
  /** The precedence rule and category that decided, e.g. `failure_retry:retry`, `attempts_exhausted:review`. */
  readonly decision: string;
  readonly causeKey: string;
}

export interface HistoryContext {
  readonly at: number;
  readonly eventId: string | null;
}

/** The entry for `before → after`, or null when nothing changed (same state and cause). */
export function buildHistoryEntry(
  before: SubjectView | null,
  after: SubjectView,
  context: HistoryContext,
): HistoryEntry | null {
  if (isSameOutcome(before, after)) return null;
  const { rule, category } = after.cause;
  return {
    at: context.at,
    from: before?.state ?? null,
    to: after.state,
    eventId: context.eventId,
    reason: after.cause.reason,
    decision: category === undefined ? rule : `${rule}:${category}`,
    causeKey: after.cause.key,
  };
}
