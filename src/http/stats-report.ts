/**
 * The insights answer (GET /admin/api/stats, `idv stats`): the request's range and time zone checked, the
 * buckets cut in that zone (domain/stats.ts), the figures counted by the store, then shaped for the README's
 * answer. Every subject figure carries `lists`: the subjects-list query whose rows are exactly the subjects it
 * counts, so the console links a number to the people behind it.
 */
import {
  STATS_INTERVALS,
  bucketsOf,
  isTimeZone,
  parseInstant,
  rate,
  type Bucket,
  type StatsInterval,
} from '../domain/stats.js';
import { IdvError } from '../errors.js';
import type { Insights, StatsFigures } from '../store/store.js';

export const DEFAULT_RANGE_MS = 30 * 86_400_000;
/** Hourly over 41 days, daily over 2.7 years: beyond that a chart shows nothing more. */
export const MAX_BUCKETS = 1000;
const PERCENTILES = [50, 90] as const;
/** The states a stacked outcome bar shows; the others (unverified, pending, processing) are `in_progress`. */
export const OUTCOME_STATES = ['verified', 'retry_required', 'in_review', 'rejected', 'canceled'] as const;
type OutcomeState = (typeof OUTCOME_STATES)[number];

export interface StatsRequest {
  from?: string | undefined;
  to?: string | undefined;
  interval?: string | undefined;
  tz?: string | undefined;
}

export interface StatsRange {
  from: number;
  to: number;
  interval: StatsInterval;
  tz: string;
  buckets: Bucket[];
}

function invalid(param: string, message: string): IdvError {
  return new IdvError('invalid_request', message, { param });
}

/** Checks and resolves the parameters; 400 `invalid_request` naming the parameter otherwise. */
export function statsRange(request: StatsRequest, now: number): StatsRange {
  const tz = request.tz ?? 'UTC';
  if (!isTimeZone(tz)) throw invalid('tz', `tz must be an IANA time zone such as Europe/Paris, not "${tz}".`);
  const interval = request.interval ?? 'day';
  if (!(STATS_INTERVALS as readonly string[]).includes(interval)) {
    throw invalid('interval', `interval must be one of ${STATS_INTERVALS.join(', ')}.`);
  }
  const instant = (name: 'from' | 'to', fallback: number): number => {
    const text = request[name];
    if (text === undefined) return fallback;
    const t = parseInstant(text, tz);
    if (t === null) {
      throw invalid(
        name,
        `${name} must be a date (2026-11-01), a local time (2026-11-01T09:30) or a timestamp.`,
      );
    }
    return t;
  };
  const to = instant('to', now);
  const from = instant('from', to - DEFAULT_RANGE_MS);
  if (from >= to) throw invalid('from', 'from must be before to.');
  const buckets = bucketsOf({ from, to }, interval as StatsInterval, tz, MAX_BUCKETS);
  if (buckets === null) {
    throw invalid('interval', `the range has more than ${MAX_BUCKETS} ${interval}s; pick a longer interval.`);
  }
  return { from, to, interval: interval as StatsInterval, tz, buckets };
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The subjects-list path for a cohort and extra filters. */
export function subjectsList(
  range: { from: number; to: number },
  filters: Record<string, string> = {},
): string {
  const params = new URLSearchParams({ from: iso(range.from), to: iso(range.to), ...filters });
  return `/admin/api/subjects?${params.toString()}`;
}

function presentOutcomes(range: StatsRange, figures: StatsFigures) {
  return range.buckets.map((bucket, i) => {
    const counts = figures.outcomes[i] ?? {};
    const shown = Object.fromEntries(OUTCOME_STATES.map((s) => [s, counts[s] ?? 0])) as Record<
      OutcomeState,
      number
    >;
    const all = Object.values(counts).reduce((a, b) => a + b, 0);
    const lists = Object.fromEntries(
      OUTCOME_STATES.map((s) => [s, subjectsList({ from: bucket.start, to: bucket.end }, { state: s })]),
    ) as Record<OutcomeState, string>;
    const inProgress = all - OUTCOME_STATES.reduce((a, s) => a + (counts[s] ?? 0), 0);
    return { start: iso(bucket.start), end: iso(bucket.end), ...shown, in_progress: inProgress, lists };
  });
}

function presentReviews(reviews: StatsFigures['reviews'], now: number) {
  const decided: Record<string, number> = {};
  const byOperator = new Map<string | null, Record<string, number>>();
  for (const row of reviews.decided) {
    decided[row.decision] = (decided[row.decision] ?? 0) + row.cases;
    const mine = byOperator.get(row.operatorId) ?? {};
    mine[row.decision] = (mine[row.decision] ?? 0) + row.cases;
    byOperator.set(row.operatorId, mine);
  }
  return {
    opened: reviews.opened,
    decided,
    by_operator: [...byOperator].map(([id, counts]) => ({
      operator_id: id,
      decided: Object.values(counts).reduce((a, b) => a + b, 0),
      ...counts,
    })),
    backlog: {
      open: reviews.open,
      oldest_opened_at: reviews.oldestOpenedAt === null ? null : iso(reviews.oldestOpenedAt),
      oldest_age_seconds:
        reviews.oldestOpenedAt === null
          ? null
          : Math.max(0, Math.round((now - reviews.oldestOpenedAt) / 1000)),
    },
  };
}

function presentReactions(rows: StatsFigures['reactions']) {
  const byKind: Record<string, { done: number; failed: number; dead: number }> = {};
  for (const row of rows) {
    const kind = (byKind[row.kind] ??= { done: 0, failed: 0, dead: 0 });
    kind[row.status as 'done'] = row.count;
  }
  return byKind;
}

/** The answer of GET /admin/api/stats (README "Insights"). */
export function presentStats(range: StatsRange, figures: StatsFigures, now: number) {
  const { funnel, timeToVerify } = figures;
  const seconds = (p: number) => {
    const ms = timeToVerify.percentiles.find((x) => x.p === p)?.ms ?? null;
    return ms === null ? null : ms / 1000;
  };
  return {
    from: iso(range.from),
    to: iso(range.to),
    interval: range.interval,
    tz: range.tz,
    generated_at: iso(now),
    funnel: {
      ...funnel,
      submitted_rate: rate(funnel.submitted, funnel.started),
      verified_rate: rate(funnel.verified, funnel.started),
      verified_of_submitted: rate(funnel.verified, funnel.submitted),
      lists: {
        started: subjectsList(range),
        submitted: subjectsList(range, { submitted: 'true' }),
        verified: subjectsList(range, { state: 'verified' }),
      },
    },
    outcomes: presentOutcomes(range, figures),
    failure_codes: figures.failureCodes.map((f) => ({
      code: f.code,
      subjects: f.subjects,
      submissions: f.submissions,
      later_verified: f.laterVerified,
      later_verified_share: rate(f.laterVerified, f.subjects),
      lists: {
        subjects: subjectsList(range, { ever_code: f.code }),
        later_verified: subjectsList(range, { ever_code: f.code, state: 'verified' }),
      },
    })),
    time_to_verify: { verified: timeToVerify.count, p50_seconds: seconds(50), p90_seconds: seconds(90) },
    attempts: {
      verified_by_attempts_used: figures.attempts.verifiedByUsed,
      exhausted: figures.attempts.exhausted,
    },
    reviews: presentReviews(figures.reviews, now),
    reactions: presentReactions(figures.reactions),
  };
}

export type StatsAnswer = ReturnType<typeof presentStats>;

export async function statsAnswer(store: Insights, request: StatsRequest, now: number): Promise<StatsAnswer> {
  const range = statsRange(request, now);
  const figures = await store.stats({
    from: range.from,
    to: range.to,
    buckets: range.buckets,
    percentiles: PERCENTILES,
  });
  return presentStats(range, figures, now);
}
