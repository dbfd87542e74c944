/**
 * An operator's decision on a review case, as the change it writes (pure). The decision becomes the
 * subject's manual decision and the subject is stepped like after any event, so the domain alone maps
 * approve → verified and reject → rejected, writes the history entry and plans the emails and callbacks
 * (keys `manual:<decision>`, so a decision is announced once). The case is closed in the same transaction.
 */
import {
  stepSubject,
  type ManualDecision,
  type ManualDecisionKind,
  type Policy,
} from '../../domain/index.js';
import type { SubjectChange, SubjectSnapshot } from '../../store/records.js';

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
  const step = stepSubject({
    ref: input.ref,
    sessions: snapshot.sessions.flatMap((s) => (s.record ? [s.record] : [])),
    policy: input.policy,
    manualDecision,
    before: snapshot.subject?.view ?? null,
    ...(snapshot.subject?.announcements ? { announcements: snapshot.subject.announcements } : {}),
    eventId: null,
    now: Math.floor(input.now / 1000),
  });
  return {
    change: {
      sessions: [],
      subject: { ref: input.ref, view: step.view, manualDecision, announcements: step.announcements },
      history: step.history ? [{ ...step.history, actor: input.actor }] : [],
      reactions: step.reactions,
      closeReview: {
        id: input.reviewId,
        status: input.decision === 'approve' ? 'approved' : 'rejected',
        note: input.note,
        actor: input.actor,
        at: input.now,
      },
    },
    result: 'decided',
  };
}
