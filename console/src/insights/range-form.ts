/** The date-range picker of the Overview: from, to (inclusive days), interval and time zone. */
import { h } from '../dom.js';

export interface StatsRange {
  from: string;
  /** The last day shown; the API's `to` is the day after. */
  through: string;
  interval: string;
  tz: string;
}

const DAY = 86_400_000;
const isoDate = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The range in the page's query, or the last 30 days in the browser's zone. */
export function rangeOf(query: URLSearchParams, now = Date.now()): StatsRange {
  const tz = query.get('tz') || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: tz }).format(new Date(now));
  const through = query.get('through') || today;
  return {
    from: query.get('from') || isoDate(Date.parse(`${through}T00:00:00Z`) - 29 * DAY),
    through,
    interval: query.get('interval') || 'day',
    tz,
  };
}

export function apiQuery(range: StatsRange): string {
  const to = isoDate(Date.parse(`${range.through}T00:00:00Z`) + DAY);
  return new URLSearchParams({ from: range.from, to, interval: range.interval, tz: range.tz }).toString();
}

export function rangeForm(range: StatsRange, go: (range: StatsRange) => void): HTMLFormElement {
  const from = h('input', { type: 'date', name: 'from', value: range.from, required: true });
  const through = h('input', { type: 'date', name: 'through', value: range.through, required: true });
  const interval = h(
    'select',
    { name: 'interval' },
    ['hour', 'day', 'week'].map((i) => h('option', { value: i, selected: i === range.interval }, i)),
  );
  const tz = h('input', { type: 'text', name: 'tz', value: range.tz, size: 18 });
  const form = h(
    'form',
    { class: 'range-form', 'aria-label': 'Date range' },
    h('label', {}, 'From ', from),
    h('label', {}, 'Through ', through),
    h('label', {}, 'By ', interval),
    h('label', {}, 'Time zone ', tz),
    h('button', { type: 'submit' }, 'Show'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    go({ from: from.value, through: through.value, interval: interval.value, tz: tz.value.trim() || 'UTC' });
  });
  return form;
}
