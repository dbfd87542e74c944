/**
 * An operator's decision on a review case, as the change it writes (pure but for the review id helper).
 * The decision becomes the subject's manual decision and the subject is stepped like after any event, so
 * the domain alone maps approve → verified and reject → rejected, writes the history entry and plans the
 * emails and callbacks (keys `manual:<decision>`, so a decision is announced once). The case is closed in
 * the same transaction.
 */
import {
  MANUAL_DECISIONS,
  isOneOf,
  type ManualDecision,
  type ManualDecisionKind,
  type Policy,
} from '../domain/index.js';
import { IdvError } from '../errors.js';
import type { ReviewRecord, SubjectChange, SubjectSnapshot } from '../store/records.js';
import type { SubjectsAndReviews } from '../store/store.js';
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

/**
 * Decides the open case `reviewId`, as the admin API does: 404 `not_found` for an unknown case, 409
 * `conflict` once it is decided. Library mode calls this (`idv.decideReview`).
 */
export async function decideOpenReview(
  deps: {
    store: Pick<SubjectsAndReviews, 'getReview' | 'updateSubject'>;
    policy: Policy;
    clock: () => number;
  },
  input: { reviewId: string; decision: ManualDecisionKind; note: string; actor: string },
): Promise<ReviewRecord> {
  const { reviewId } = input;
  if (!isOneOf(MANUAL_DECISIONS, input.decision)) {
    throw new IdvError('invalid_request', `decision must be one of ${MANUAL_DECISIONS.join(', ')}.`, {
      param: 'decision',
    });
  }
  if (typeof input.note !== 'string' || input.note.trim() === '') {
    throw new IdvError('invalid_request', 'note is required: say why, for the record.', { param: 'note' });
  }
  const review = await deps.store.getReview(reviewId);
  if (!review) throw new IdvError('not_found', `No review ${reviewId}.`);
  const now = deps.clock();
  const result =
    review.status !== 'open'
      ? 'not_open'
      : await deps.store.updateSubject(
          review.subjectRef,
          (snapshot) =>
            decideReview(
              {
                reviewId,
                ref: review.subjectRef,
                decision: input.decision,
                note: input.note.trim(),
                actor: input.actor.trim().slice(0, 200) || 'application',
                policy: deps.policy,
                now,
              },
              snapshot,
            ),
          now,
        );
  if (result === 'not_open') throw new IdvError('conflict', `Review ${reviewId} was already decided.`);
  return (await deps.store.getReview(reviewId)) ?? review;
}
