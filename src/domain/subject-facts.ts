/**
 * The facts the insights figures count (GET /admin/api/stats), kept beside each subject so the figures read
 * indexed columns instead of every subject's records and history: when its history first showed a
 * submission and a verification, its attempts, and per failure code how many failed submissions it had.
 * Each is what a query over the subject's history and sessions would find (a min, a count of distinct
 * reports), worked out here as a change is decided, so the stores only write them.
 */
import type { HistoryEntry } from './history.js';
import type { SessionRecord } from './session.js';
import type { SubjectView } from './subject.js';

/**
 * A subject has submitted once its history shows a state only a submission leads to: `processing`, or an
 * outcome of checks (a failure, a verification). History rather than the `processing` event itself, because
 * that event may arrive after `verified` (or never be kept: events are purged sooner than subjects).
 */
export const SUBMITTED_STATES = [
  'processing',
  'retry_required',
  'in_review',
  'verified',
  'rejected',
] as const;

export interface SubjectFacts {
  /** The earliest history entry into a submitted state (ms); null: never submitted. */
  readonly firstSubmittedAt: number | null;
  /** The earliest history entry into `verified` (ms); null: never verified. */
  readonly verifiedAt: number | null;
  /** The view's attempts (null only for rows whose view had none). */
  readonly attemptsUsed: number | null;
  readonly attemptsLeft: number | null;
}

/** One failure code of one subject: its failed submissions (distinct reports) with that code. */
export interface FailureCodeCount {
  readonly code: string;
  readonly submissions: number;
}

function earliest(current: number | null, times: readonly number[]): number | null {
  return times.reduce<number | null>((min, t) => (min === null || t < min ? t : min), current);
}

/** The facts after a change that leaves `view` and appends `history` to a subject whose facts were `before`. */
export function subjectFacts(
  before: SubjectFacts | null,
  view: SubjectView,
  history: readonly Pick<HistoryEntry, 'at' | 'to'>[],
): SubjectFacts {
  const submitted = (state: string) => (SUBMITTED_STATES as readonly string[]).includes(state);
  return {
    firstSubmittedAt: earliest(
      before?.firstSubmittedAt ?? null,
      history.filter((h) => submitted(h.to)).map((h) => h.at),
    ),
    verifiedAt: earliest(
      before?.verifiedAt ?? null,
      history.filter((h) => h.to === 'verified').map((h) => h.at),
    ),
    attemptsUsed: view.attempts.used,
    attemptsLeft: view.attempts.left,
  };
}

/** Per failure code, the distinct reports (failure keys) of the sessions that failed with it. */
export function failureCodeCounts(sessions: readonly SessionRecord[]): Map<string, number> {
  const keys = new Map<string, Set<string>>();
  for (const session of sessions) {
    for (const f of session.failures) {
      const mine = keys.get(f.code) ?? new Set<string>();
      mine.add(f.key);
      keys.set(f.code, mine);
    }
  }
  return new Map([...keys].map(([code, set]) => [code, set.size]));
}

/**
 * The codes whose counts differ between the subject's sessions before and after a change, with their new
 * counts: nothing for most events, one code when a failed submission is met. Counts only grow (failures are
 * a set that is never emptied), so no code ever has to be removed.
 */
export function changedFailureCodes(
  before: readonly SessionRecord[],
  after: readonly SessionRecord[],
): FailureCodeCount[] {
  const was = failureCodeCounts(before);
  return [...failureCodeCounts(after)]
    .filter(([code, n]) => was.get(code) !== n)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([code, submissions]) => ({ code, submissions }));
}
