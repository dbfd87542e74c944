/**
 * The pure arithmetic of the insights figures: time buckets in an operator's time zone, nearest-rank
 * percentiles and rates. Bucket boundaries are computed here, not in SQL, because SQLite has no time zones:
 * the store receives plain millisecond ranges and both dialects count the same rows.
 *
 * Time zones come from Intl (the IANA database Node ships). A day is local midnight to local midnight, so
 * across a DST change a day lasts 23 or 25 hours; a week starts on Monday (ISO 8601); an hour is aligned to
 * the local wall clock, so the repeated hour of a fall-back change is two buckets.
 */

export const STATS_INTERVALS = ['hour', 'day', 'week'] as const;
export type StatsInterval = (typeof STATS_INTERVALS)[number];

/** A half-open range of milliseconds since the epoch: `start <= t < end`. */
export interface Bucket {
  readonly start: number;
  readonly end: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Whether Intl knows `tz` (an IANA name such as `Europe/Paris`, or `UTC`). */
export function isTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

interface Wall {
  y: number;
  m: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

/**
 * Intl formatting is the costly step (tens of microseconds), and cutting buckets asks for the same instants
 * again (each bucket's end is the next one's start), so results are remembered; bounded, and pure.
 */
const walls = new Map<string, Wall>();

function wallAt(tz: string, t: number): Wall {
  const key = `${tz}|${t}`;
  let wall = walls.get(key);
  if (wall === undefined) {
    if (walls.size >= 20_000) walls.clear();
    wall = formatWall(tz, t);
    walls.set(key, wall);
  }
  return wall;
}

function formatWall(tz: string, t: number): Wall {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(t))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    y: parts.year!,
    m: parts.month!,
    d: parts.day!,
    h: parts.hour!,
    mi: parts.minute!,
    s: parts.second!,
  };
}

function wallMs(w: Wall): number {
  return Date.UTC(w.y, w.m - 1, w.d, w.h, w.mi, w.s);
}

/** Local time minus UTC at instant `t`, in milliseconds. */
function offsetAt(tz: string, t: number): number {
  return wallMs(wallAt(tz, t)) - (t - (((t % 1000) + 1000) % 1000));
}

/**
 * The first instant whose local wall clock reads `w` in `tz`; when `w` does not exist (the gap of a
 * spring-forward change), the instant the clocks jump over it, which is when that local time "begins".
 */
export function localInstant(tz: string, w: Wall): number {
  const target = wallMs(w);
  const before = target - offsetAt(tz, target - DAY);
  const after = target - offsetAt(tz, target + DAY);
  // No change of offset within a day either side (the usual case): the one instant is exact.
  if (before === after) return before;
  const valid = [before, after].filter((t) => t + offsetAt(tz, t) === target).sort((a, b) => a - b);
  if (valid.length > 0) return valid[0]!;
  // In the gap: the transition lies between the two candidates; find the first instant past the wall time.
  let lo = Math.min(before, after);
  let hi = Math.max(before, after);
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (mid + offsetAt(tz, mid) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}

function dayStart(tz: string, y: number, m: number, d: number): number {
  const date = new Date(Date.UTC(y, m - 1, d));
  return localInstant(tz, {
    y: date.getUTCFullYear(),
    m: date.getUTCMonth() + 1,
    d: date.getUTCDate(),
    h: 0,
    mi: 0,
    s: 0,
  });
}

/** The start of the interval containing `t`. */
export function intervalStart(t: number, interval: StatsInterval, tz: string): number {
  if (interval === 'hour') return t - ((((t + offsetAt(tz, t)) % HOUR) + HOUR) % HOUR);
  const w = wallAt(tz, t);
  if (interval === 'day') return dayStart(tz, w.y, w.m, w.d);
  const weekday = new Date(Date.UTC(w.y, w.m - 1, w.d)).getUTCDay();
  return dayStart(tz, w.y, w.m, w.d - ((weekday + 6) % 7));
}

/** The start of the interval after the one starting at `start`. */
export function nextIntervalStart(start: number, interval: StatsInterval, tz: string): number {
  if (interval === 'hour') {
    const next = intervalStart(start + HOUR, 'hour', tz);
    return next > start ? next : start + HOUR;
  }
  const w = wallAt(tz, start);
  return dayStart(tz, w.y, w.m, w.d + (interval === 'day' ? 1 : 7));
}

/**
 * The buckets of `[from, to)`, cut at the interval boundaries of `tz`; the first and last are clipped to
 * the range, so the buckets cover exactly the range and their counts add up to the range's. Null when there
 * would be more than `max`.
 */
export function bucketsOf(
  range: { from: number; to: number },
  interval: StatsInterval,
  tz: string,
  max: number,
): Bucket[] | null {
  const buckets: Bucket[] = [];
  let start = range.from;
  while (start < range.to) {
    if (buckets.length === max) return null;
    const end = Math.min(nextIntervalStart(intervalStart(start, interval, tz), interval, tz), range.to);
    buckets.push({ start, end });
    start = end;
  }
  return buckets;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An instant from a query parameter: a date (`2026-11-01`: local midnight in `tz`), a local date and time
 * (`2026-11-01T09:30`), or a timestamp with `Z` or an offset. Null when it is none of these.
 */
export function parseInstant(text: string, tz: string): number | null {
  const date = DATE_ONLY.exec(text) ?? LOCAL_TIME.exec(text);
  if (date !== null) {
    const [y = 0, m = 0, d = 0, h = 0, mi = 0, s = 0] = date.slice(1).map((v) => Number(v ?? 0));
    if (m < 1 || m > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
    return localInstant(tz, { y, m, d, h, mi, s });
  }
  if (!WITH_OFFSET.test(text)) return null;
  const t = Date.parse(text);
  return Number.isNaN(t) ? null : t;
}

/**
 * The 1-based rank of the `p`th percentile among `n` sorted values by the nearest-rank method: the
 * smallest rank whose share of the values is at least p%, i.e. ceil(p/100 × n). 0 when there are no values.
 */
export function nearestRank(p: number, n: number): number {
  if (n <= 0) return 0;
  // Integer arithmetic where it can be: 0.9 × 10 must be 9, not 9.000000000000002 rounded up to 10.
  const scaled = p * n;
  const rank = Number.isInteger(scaled) ? Math.ceil(scaled / 100) : Math.ceil(Math.round(scaled * 1e6) / 1e8);
  return Math.min(n, Math.max(1, rank));
}

/** The nearest-rank percentile of values (any order); null when there are none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[nearestRank(p, sorted.length) - 1]!;
}

/** `part / whole` rounded to four decimals; null when `whole` is 0 (no rate, rather than a false 0%). */
export function rate(part: number, whole: number): number | null {
  if (whole === 0) return null;
  return Math.round((part / whole) * 10_000) / 10_000;
}
