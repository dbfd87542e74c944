/**
 * Outcomes over time as stacked bars (uPlot). uPlot draws series in order, each over the last, so the
 * series are the running totals from the top of the stack down: the tallest bar first, then each lower
 * outcome over it. The legend shows each outcome's own count, not the running total.
 */
import uPlot from 'uplot';
import { OUTCOMES, bucketLabel, type Stats } from './stats.js';

const STACK = [...OUTCOMES, 'in_progress'] as const;
const COLORS: Record<(typeof STACK)[number], string> = {
  verified: '#067647',
  retry_required: '#d97706',
  in_review: '#2453c7',
  rejected: '#b42318',
  canceled: '#8d96a3',
  in_progress: '#c9ced6',
};

export function outcomeChart(stats: Stats, width: number): HTMLElement {
  const element = document.createElement('div');
  element.className = 'outcome-chart';
  const xs = stats.outcomes.map((_, i) => i);
  const own = STACK.map((state) =>
    stats.outcomes.map((o) => (state === 'in_progress' ? o.in_progress : o[state])),
  );
  // Running totals bottom-up, then reversed so the top of the stack is drawn first.
  const totals = own.map((_, k) => xs.map((i) => own.slice(0, k + 1).reduce((sum, row) => sum + row[i]!, 0)));
  const order = STACK.map((_, k) => STACK.length - 1 - k);
  const bars = uPlot.paths.bars!({ size: [0.7, 48] });
  const options: uPlot.Options = {
    width,
    height: 260,
    scales: {
      x: { time: false, range: () => [-0.5, Math.max(0.5, xs.length - 0.5)] },
      y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
    },
    axes: [
      {
        // One tick per bucket, thinned to fit: the buckets are indices, so a fraction has no label.
        splits: () => xs.filter((i) => i % Math.ceil(xs.length / Math.max(1, Math.floor(width / 90))) === 0),
        values: (_u, splits) =>
          splits.map((i) => {
            const bucket = stats.outcomes[Math.round(i)];
            return bucket ? bucketLabel(bucket.start, stats.interval, stats.tz) : '';
          }),
      },
      { label: 'subjects' },
    ],
    series: [
      {
        label: stats.interval,
        value: (_u, i) => (i == null ? '' : bucketLabel(stats.outcomes[i]!.start, stats.interval, stats.tz)),
      },
      ...order.map((k) => ({
        label: STACK[k]!,
        stroke: COLORS[STACK[k]!],
        fill: COLORS[STACK[k]!],
        paths: bars,
        points: { show: false },
        value: (_u: uPlot, _v: number | null, _s: number, i: number | null) =>
          i == null ? '' : String(own[k]![i]),
      })),
    ],
  };
  new uPlot(options, [xs, ...order.map((k) => totals[k]!)], element);
  return element;
}
