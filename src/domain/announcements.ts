/**
 * What a subject has already announced (to the user by email, to the app by callback), so that each
 * announcement is planned exactly once and under a key nobody has used before.
 *
 * Why a log and not just the previous view: the view is a pure function of what has arrived so far,
 * and events arrive out of order (reference 4.2), so a subject can pass through an outcome, leave it
 * and come back to it — `retry_required:vr_1 → processing → retry_required:vr_1` when a newer
 * session's cancel arrives before its failure, or `retry_required:vr_2 → canceled → retry_required:vr_2`
 * when an older session's events arrive after a newer session was canceled. Coming back through a
 * waypoint (pending, processing) announces nothing: the last announcement still holds. Coming back after
 * a DIFFERENT announcement must be told again — the app last heard "canceled" — and needs a fresh key,
 * or the outbox would drop it as a repeat: the n-th announcement of a cause uses `${cause.key}#n`.
 *
 * The worker stores the log with the subject (a small JSON value) and passes it to `stepSubject`.
 */
import type { OutcomeKey, SubjectView } from './subject.js';
import { isSameOutcome, outcomeKeyOf } from './subject.js';
import type { SubjectState } from './terms.js';

export interface AnnouncementLog {
  /** The outcome announced last; null before the first announcement. */
  readonly last: OutcomeKey | null;
  /** How many times each cause key has been announced. */
  readonly counts: Readonly<Record<string, number>>;
}

export const EMPTY_ANNOUNCEMENTS: AnnouncementLog = Object.freeze({ last: null, counts: Object.freeze({}) });

/** The states that announce themselves (email/callback/review case); the others are waypoints. */
export const ANNOUNCED_STATES: readonly SubjectState[] = Object.freeze([
  'verified',
  'retry_required',
  'in_review',
  'rejected',
  'canceled',
] as const);

export function isAnnouncedState(state: SubjectState): boolean {
  return ANNOUNCED_STATES.includes(state);
}

function countOf(log: AnnouncementLog, causeKey: string): number {
  return Object.hasOwn(log.counts, causeKey) ? (log.counts[causeKey] ?? 0) : 0;
}

/**
 * Whether `view` must be announced now and, if so, under which cause tag (`cause.key` the first time,
 * `${cause.key}#n` the n-th time) and with which log afterwards.
 */
export function nextAnnouncement(
  log: AnnouncementLog,
  view: SubjectView,
): { announce: false; log: AnnouncementLog } | { announce: true; causeTag: string; log: AnnouncementLog } {
  if (!isAnnouncedState(view.state) || isSameOutcome(log.last, view)) return { announce: false, log };
  const n = countOf(log, view.cause.key) + 1;
  return {
    announce: true,
    causeTag: n === 1 ? view.cause.key : `${view.cause.key}#${n}`,
    log: { last: outcomeKeyOf(view), counts: { ...log.counts, [view.cause.key]: n } },
  };
}

/** A log for a subject stored before logs existed, or in tests: its current view counts as announced once. */
export function announcementsFrom(view: SubjectView | null): AnnouncementLog {
  if (view === null || !isAnnouncedState(view.state)) return EMPTY_ANNOUNCEMENTS;
  return { last: outcomeKeyOf(view), counts: { [view.cause.key]: 1 } };
}
