/**
 * An operator's decision on a review case, as the change it writes (pure but for the review id helper).
 * The decision becomes the subject's manual decision and the subject is stepped like after any event, so
 * the domain alone maps approve → verified and reject → rejected, writes the history entry and plans the
 * emails and callbacks (keys `manual:<decision>`, so a decision is announced once). The case is closed in
 * the same transaction.
 */
import type { ManualDecision, ManualDecisionKind, Policy } from '../domain/index.js';
import type { SubjectChange, SubjectSnapshot } from '../store/records.js';
import { sessionRecords, stepFromSnapshot, subjectChange } from './subject-change.js';

export interface ReviewDecisionInput {
  reviewId: string;
  ref: string;
  decision: ManualDecisionKind;
  note: string;
  actor: string;
  policy: Policy;
  /** Milliseconds since the epoch. */
  now: number;
}

export type ReviewDecisionResult = 'decided' | 'not_open';

export function decideReview(
  input: ReviewDecisionInput,
  snapshot: SubjectSnapshot,
): { change: SubjectChange | null; result: ReviewDecisionResult } {
  if (snapshot.openReview === null || snapshot.openReview.id !== input.reviewId) {
    return { change: null, result: 'not_open' };
  }
  const manualDecision: ManualDecision = {
    decision: input.decision,
    reviewId: input.reviewId,
    decidedBy: input.actor,
    note: input.note,
    at: input.now,
  };
  const step = stepFromSnapshot({
    ref: input.ref,
    snapshot,
    sessions: sessionRecords(snapshot),
    manualDecision,
    policy: input.policy,
    eventId: null,
    now: input.now,
  });
  const change = subjectChange({
    ref: input.ref,
    snapshot,
    step,
    manualDecision,
    now: input.now,
    actor: input.actor,
    closeReview: {
      id: input.reviewId,
      status: input.decision === 'approve' ? 'approved' : 'rejected',
      note: input.note,
      actor: input.actor,
      at: input.now,
    },
  });
  return { change, result: 'decided' };
}
