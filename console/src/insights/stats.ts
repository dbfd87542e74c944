/**
 * The answer of GET /admin/api/stats as the console reads it (README "Insights"), and the way from a
 * figure's `lists` path (the subjects list with the same filters) to the console's subjects page.
 */
export const OUTCOMES = ['verified', 'retry_required', 'in_review', 'rejected', 'canceled'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface Stats {
  from: string;
  to: string;
  interval: 'hour' | 'day' | 'week';
  tz: string;
  funnel: {
    started: number;
    submitted: number;
    verified: number;
    submitted_rate: number | null;
    verified_rate: number | null;
    verified_of_submitted: number | null;
    lists: { started: string; submitted: string; verified: string };
  };
  outcomes: ({ start: string; end: string; in_progress: number; lists: Record<Outcome, string> } & Record<
    Outcome,
    number
  >)[];
  failure_codes: {
    code: string;
    subjects: number;
    submissions: number;
    later_verified: number;
    later_verified_share: number | null;
    lists: { subjects: string; later_verified: string };
  }[];
  time_to_verify: { verified: number; p50_seconds: number | null; p90_seconds: number | null };
  attempts: { verified_by_attempts_used: { used: number; subjects: number }[]; exhausted: number };
  reviews: {
    opened: number;
    decided: Record<string, number>;
    by_operator: ({ operator_id: string | null; decided: number } & Record<string, number | string | null>)[];
    backlog: { open: number; oldest_opened_at: string | null; oldest_age_seconds: number | null };
  };
  reactions: Record<string, { done: number; failed: number; dead: number }>;
}

/** `/admin/api/subjects?state=…` → `#/subjects?state=…`. */
export function subjectsHref(listPath: string): string {
  return `#/subjects${listPath.slice(listPath.indexOf('?'))}`;
}

export function percent(rate: number | null): string {
  return rate === null ? '–' : `${Math.round(rate * 1000) / 10}%`;
}

/** 7200 → "2 h 0 min". */
export function duration(seconds: number | null): string {
  if (seconds === null) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

/** A bucket's start as a date (or date and hour) in the figures' zone. */
export function bucketLabel(iso: string, interval: Stats['interval'], tz: string): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...(interval === 'hour' ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
  }).format(new Date(iso));
}
