/**
 * One step of a subject: derive its new view from its sessions and compute what that change means
 * (history entry and planned reactions). The worker calls it after folding a Stripe event into a
 * session, and the review API after an operator's decision, so both paths decide "did anything change,
 * and what do we tell whom" in exactly one place.
 */
import { buildHistoryEntry } from './history.js';
import type { HistoryEntry } from './history.js';
import { planReactions } from './reactions.js';
import type { PlannedReaction } from './reactions.js';
import { deriveSubject } from './subject.js';
import type { DeriveSubjectInput, SubjectView } from './subject.js';

export interface SubjectStepInput extends DeriveSubjectInput {
  /** The view stored before this step; null for a subject seen for the first time. */
  readonly before: SubjectView | null;
  /** The Stripe event that triggered the step; null for an operator's decision or a policy change. */
  readonly eventId: string | null;
  /** The caller's clock, Unix seconds (the domain reads no clock). */
  readonly now: number;
}

export interface SubjectStep {
  readonly view: SubjectView;
  /** null when the outcome (state and cause) did not change. */
  readonly history: HistoryEntry | null;
  readonly reactions: PlannedReaction[];
}

export function stepSubject(input: SubjectStepInput): SubjectStep {
  const view = deriveSubject(input);
  return {
    view,
    history: buildHistoryEntry(input.before, view, { at: input.now, eventId: input.eventId }),
    reactions: planReactions(input.before, view, { eventId: input.eventId }),
  };
}
