/**
 * An operator's decision on a review case, as the change it writes (pure but for the review id helper).
 * The decision becomes the subject's manual decision and the subject is stepped like after any event, so
 * the domain alone maps approve → verified and reject → rejected, writes the history entry and plans the
 * emails and callbacks (keys `manual:<decision>`, so a decision is announced once). `retry` grants one more
 * attempt: the grant adds to the ones before it and waives every failure known now, so the domain sends the
 * subject back to `retry_required` (announced like any retry). The case is closed in the same transaction.
 */
import {
  MANUAL_DECISIONS,
  isOneOf,
  type ManualDecision,
  type ManualDecisionKind,
  type Policy,
} from '../domain/index.js';
import { IdvError } from '../errors.js';
import type { ReviewRecord, ReviewStatus, SubjectChange, SubjectSnapshot } from '../store/records.js';
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

const CLOSED_AS: Record<ManualDecisionKind, ReviewStatus & ('approved' | 'rejected' | 'retry_granted')> = {
  approve: 'approved',
  reject: 'rejected',
  retry: 'retry_granted',
};

/** A grant counts on top of earlier grants and waives the failures of every session known now. */
function grantFields(input: ReviewDecisionInput, snapshot: SubjectSnapshot): Partial<ManualDecision> {
  if (input.decision !== 'retry') return {};
  const before = snapshot.subject?.manualDecision;
  const earlier = before?.decision === 'retry' ? before : null;
  const waived = new Set(earlier?.waivedFailures ?? []);
  for (const record of sessionRecords(snapshot)) for (const f of record.failures) waived.add(f.key);
  return { grantedAttempts: (earlier?.grantedAttempts ?? 0) + 1, waivedFailures: [...waived].sort() };
}

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
    ...grantFields(input, snapshot),
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
      status: CLOSED_AS[input.decision],
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
