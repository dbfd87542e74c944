/**
 * A minimal Prometheus registry for GET /metrics (text exposition format 0.0.4): counters, and histograms of
 * latencies in seconds over fixed buckets. Label values are a few known words (outcome, kind), never ids, so
 * the number of series stays small.
 */

/** Seconds: from a fast answer (1 ms) to a slow reaction (a minute). */
export const LATENCY_BUCKETS: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

interface Histogram {
  /** Per bucket of LATENCY_BUCKETS, the observations at or below it (not yet cumulative). */
  readonly counts: number[];
  sum: number;
  count: number;
}

/** `k="v",…` without empty values; a plain loop, since it runs for every answer, event and reaction. */
function labelKey(labels: Record<string, string>): string {
  let key = '';
  for (const name in labels) {
    const value = labels[name]!;
    if (value === '') continue;
    key += `${key === '' ? '' : ','}${name}="${UNSAFE_LABEL.test(value) ? value.replace(UNSAFE_LABELS, '_') : value}"`;
  }
  return key;
}

const UNSAFE_LABEL = /["\\\n]/;
const UNSAFE_LABELS = /["\\\n]/g;

const braces = (labels: string) => (labels ? `{${labels}}` : '');

export class Metrics {
  private readonly counters = new Map<string, Map<string, number>>();
  private readonly histograms = new Map<string, Map<string, Histogram>>();

  inc(name: string, labels: Record<string, string> = {}, by = 1): void {
    let series = this.counters.get(name);
    if (!series) this.counters.set(name, (series = new Map()));
    const key = labelKey(labels);
    series.set(key, (series.get(key) ?? 0) + by);
  }

  /** One observation of `seconds` in the histogram `name`. */
  observe(name: string, labels: Record<string, string>, seconds: number): void {
    let series = this.histograms.get(name);
    if (!series) this.histograms.set(name, (series = new Map()));
    const key = labelKey(labels);
    let histogram = series.get(key);
    if (!histogram) {
      histogram = { counts: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 };
      series.set(key, histogram);
    }
    const value = Math.max(0, seconds);
    const bucket = LATENCY_BUCKETS.findIndex((le) => value <= le);
    if (bucket >= 0) histogram.counts[bucket]! += 1;
    histogram.sum += value;
    histogram.count += 1;
  }

  /** `gauges`: metric name → label set (e.g. `status="dead"`) → value, read at scrape time. */
  render(gauges: Record<string, Record<string, number>> = {}): string {
    const lines: string[] = [];
    for (const [name, series] of this.counters) {
      lines.push(`# TYPE ${name} counter`);
      for (const [labels, value] of series) lines.push(`${name}${braces(labels)} ${value}`);
    }
    for (const [name, series] of this.histograms) {
      lines.push(`# TYPE ${name} histogram`);
      for (const [labels, h] of series) lines.push(...histogramLines(name, labels, h));
    }
    for (const [name, series] of Object.entries(gauges)) {
      lines.push(`# TYPE ${name} gauge`);
      for (const [labels, value] of Object.entries(series)) lines.push(`${name}${braces(labels)} ${value}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

function histogramLines(name: string, labels: string, h: Histogram): string[] {
  const withLe = (le: string) => `{${labels ? `${labels},` : ''}le="${le}"}`;
  let cumulative = 0;
  const lines = LATENCY_BUCKETS.map((le, i) => {
    cumulative += h.counts[i]!;
    return `${name}_bucket${withLe(String(le))} ${cumulative}`;
  });
  lines.push(`${name}_bucket${withLe('+Inf')} ${h.count}`);
  lines.push(`${name}_sum${braces(labels)} ${Number(h.sum.toFixed(6))}`);
  lines.push(`${name}_count${braces(labels)} ${h.count}`);
  return lines;
}
