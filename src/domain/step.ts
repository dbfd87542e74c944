/**
 * One step of a subject: derive its new view from its sessions and compute what that change means
 * (history entry against the previous view; reactions against what was already announced, see
 * announcements.ts). The worker calls it after folding a Stripe event into a
 * session, and the review API after an operator's decision, so both paths decide "did anything change,
 * and what do we tell whom" in exactly one place.
 */
import { buildHistoryEntry } from './history.js';
import type { HistoryEntry } from './history.js';
import { announcementsFrom, nextAnnouncement } from './announcements.js';
import type { AnnouncementLog } from './announcements.js';
import { planReactions } from './reactions.js';
import type { PlannedReaction } from './reactions.js';
import { deriveSubject } from './subject.js';
import type { DeriveSubjectInput, SubjectView } from './subject.js';

export interface SubjectStepInput extends DeriveSubjectInput {
  /** The view stored before this step; null for a subject seen for the first time. */
  readonly before: SubjectView | null;
  /** The subject's announcement log as stored; omitted = `announcementsFrom(before)`. */
  readonly announcements?: AnnouncementLog;
  /** The Stripe event that triggered the step; null for an operator's decision or a policy change. */
  readonly eventId: string | null;
  /** The caller's clock, milliseconds since the epoch (the domain reads no clock). */
  readonly now: number;
}

export interface SubjectStep {
  readonly view: SubjectView;
  /** null when the outcome (state and cause) did not change. */
  readonly history: HistoryEntry | null;
  readonly reactions: PlannedReaction[];
  /** The log to store with the subject after this step. */
  readonly announcements: AnnouncementLog;
}

export function stepSubject(input: SubjectStepInput): SubjectStep {
  const view = deriveSubject(input);
  const log = input.announcements ?? announcementsFrom(input.before);
  const next = nextAnnouncement(log, view);
  return {
    view,
    history: buildHistoryEntry(input.before, view, { at: input.now, eventId: input.eventId }),
    reactions: next.announce
      ? planReactions(log.last, view, { eventId: input.eventId, causeTag: next.causeTag })
      : [],
    announcements: next.log,
  };
}
