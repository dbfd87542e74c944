/**
 * What the insights figures are made of, as the stores count them (GET /admin/api/stats, `idv stats`).
 * Subjects are counted by the time idv first recorded them (`subjects.created_at`): a range's subjects are
 * its cohort, and every subject figure describes that cohort, so the subjects list filtered by the same
 * range (and state or code) has exactly as many rows as the figure. Times are milliseconds since the epoch.
 */
import type { Bucket } from '../domain/stats.js';

export interface StatsQuery {
  from: number;
  to: number;
  /** Consecutive ranges covering [from, to), computed in the operator's time zone (domain/stats.ts). */
  buckets: readonly Bucket[];
  /** Percentiles of the time to verify, e.g. [50, 90]. */
  percentiles: readonly number[];
}

export interface StatsFigures {
  funnel: { started: number; submitted: number; verified: number };
  /** Per bucket (same order as the query's), the cohort's subjects by current state. */
  outcomes: Record<string, number>[];
  failureCodes: { code: string; subjects: number; submissions: number; laterVerified: number }[];
  /** Verified subjects of the cohort with a time, and the nearest-rank percentile of each asked for. */
  timeToVerify: { count: number; percentiles: { p: number; ms: number | null }[] };
  attempts: { verifiedByUsed: { used: number; subjects: number }[]; exhausted: number };
  reviews: {
    opened: number;
    /** Cases decided in the range, by decision (the case's status) and deciding operator (null: unknown). */
    decided: { operatorId: string | null; decision: string; cases: number }[];
    /** Open now, whatever the range. */
    open: number;
    oldestOpenedAt: number | null;
  };
  /** Reactions created in the range, by kind and status (done, failed, dead). */
  reactions: { kind: string; status: string; count: number }[];
}

/** When a subject counts as submitted (domain/subject-facts.ts, kept as `subjects.first_submitted_at`). */
export { SUBMITTED_STATES } from '../domain/subject-facts.js';

/** The audit actions of a review decision; their `actor_id` is the deciding operator. */
export const DECISION_ACTIONS = ['review.approve', 'review.reject', 'review.retry'] as const;

/** The reaction statuses the figures count. */
export const COUNTED_REACTION_STATUSES = ['done', 'failed', 'dead'] as const;

/** SQL list of constant strings (from the fixed lists above only, never from input). */
export function sqlList(values: readonly string[]): string {
  return values.map((v) => `'${v}'`).join(', ');
}

/** One group of the cohort pass: subjects alike in what the funnel and the attempts tell apart. */
export interface CohortGroup {
  verified: number | boolean;
  submitted: number | boolean;
  exhausted: number | boolean | null;
  /** Attempts used, for verified subjects only. */
  used: number | null;
  n: number;
}

/** The funnel and the attempts from the groups of the cohort pass (both stores). */
export function cohortFigures(groups: readonly CohortGroup[]): Pick<StatsFigures, 'funnel' | 'attempts'> {
  const funnel = { started: 0, submitted: 0, verified: 0 };
  const used = new Map<number, number>();
  let exhausted = 0;
  for (const g of groups) {
    funnel.started += g.n;
    if (g.submitted) funnel.submitted += g.n;
    if (g.exhausted) exhausted += g.n;
    if (g.verified) {
      funnel.verified += g.n;
      used.set(g.used ?? 0, (used.get(g.used ?? 0) ?? 0) + g.n);
    }
  }
  const verifiedByUsed = [...used]
    .sort((a, b) => a[0] - b[0])
    .map(([u, subjects]) => ({ used: u, subjects }));
  return { funnel, attempts: { verifiedByUsed, exhausted } };
}
