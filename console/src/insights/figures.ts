/**
 * The insights figures as HTML: bars whose length is set through the CSSOM (the CSP forbids style
 * attributes, not `element.style`), each number a link to the subjects list behind it.
 */
import { h, link, table, type Child } from '../dom.js';
import { OUTCOMES, bucketLabel, duration, percent, subjectsHref, type Stats } from './stats.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One labelled bar; `share` of the widest, 0–1. */
function bar(label: Child, share: number, value: Child, href?: string, className = ''): HTMLElement {
  const fill = h('span', { class: `bar-fill ${className}` });
  fill.style.width = `${Math.max(0, Math.min(1, share)) * 100}%`;
  const track = h('span', { class: 'bar-track' }, fill);
  const content = [h('span', { class: 'bar-label' }, label), track, h('span', { class: 'bar-value' }, value)];
  return href ? h('a', { class: 'bar', href }, ...content) : h('div', { class: 'bar' }, ...content);
}

export function funnelFigure(stats: Stats): HTMLElement {
  const f = stats.funnel;
  const of = (n: number) => (f.started === 0 ? 0 : n / f.started);
  return h(
    'div',
    { class: 'bars', 'aria-label': 'Funnel' },
    bar('started', of(f.started), `${f.started}`, subjectsHref(f.lists.started)),
    bar(
      'submitted',
      of(f.submitted),
      `${f.submitted} · ${percent(f.submitted_rate)}`,
      subjectsHref(f.lists.submitted),
    ),
    bar(
      'verified',
      of(f.verified),
      `${f.verified} · ${percent(f.verified_rate)} (${percent(f.verified_of_submitted)} of submitted)`,
      subjectsHref(f.lists.verified),
      'bar-ok',
    ),
  );
}

export function failureCodeFigure(stats: Stats): HTMLElement {
  const codes = stats.failure_codes;
  if (codes.length === 0) return h('p', { class: 'muted' }, 'No failed submission in this range.');
  const widest = Math.max(...codes.map((c) => c.subjects));
  return h(
    'div',
    { class: 'bars', 'aria-label': 'Failure codes' },
    codes.map((c) =>
      bar(
        c.code,
        c.subjects / widest,
        `${plural(c.subjects, 'subject')} · ${plural(c.submissions, 'submission')} · ${percent(c.later_verified_share)} later verified`,
        subjectsHref(c.lists.subjects),
        'bar-warn',
      ),
    ),
  );
}

export function timeToVerifyFigure(stats: Stats): HTMLElement {
  const t = stats.time_to_verify;
  const longest = Math.max(t.p50_seconds ?? 0, t.p90_seconds ?? 0, 1);
  return h(
    'div',
    { class: 'bars', 'aria-label': 'Time to verify' },
    bar('p50', (t.p50_seconds ?? 0) / longest, duration(t.p50_seconds)),
    bar('p90', (t.p90_seconds ?? 0) / longest, duration(t.p90_seconds)),
    h('p', { class: 'muted' }, `over ${t.verified} verified subjects, from when idv first recorded them`),
  );
}

/** The numbers of the outcome chart, each a link to its subjects. */
export function outcomeTable(stats: Stats): HTMLElement {
  const rows = stats.outcomes.map((o) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, bucketLabel(o.start, stats.interval, stats.tz)),
      OUTCOMES.map((s) => h('td', {}, o[s] === 0 ? '0' : link(subjectsHref(o.lists[s]), String(o[s])))),
      h('td', {}, String(o.in_progress)),
    ),
  );
  return table([stats.interval, ...OUTCOMES, 'in progress'], rows);
}

export function attemptsAndReviews(stats: Stats): HTMLElement {
  const { attempts, reviews } = stats;
  const used = attempts.verified_by_attempts_used.map((a) => `${a.used}: ${a.subjects}`).join(', ') || 'none';
  const decided =
    Object.entries(reviews.decided)
      .map(([d, n]) => `${d} ${n}`)
      .join(', ') || 'none';
  const operators = reviews.by_operator.map((o) =>
    h('tr', {}, h('td', {}, o.operator_id ?? '(no operator)'), h('td', {}, String(o.decided))),
  );
  return h(
    'div',
    { class: 'insight-lists' },
    h('p', {}, `Failed attempts before verifying: ${used}. Attempts exhausted: ${attempts.exhausted}.`),
    h(
      'p',
      {},
      `Review cases: ${reviews.opened} opened, decided ${decided}; `,
      link('#/reviews?status=open', `${reviews.backlog.open} open now`),
      reviews.backlog.oldest_age_seconds === null
        ? ''
        : `, the oldest for ${duration(reviews.backlog.oldest_age_seconds)}`,
      '.',
    ),
    table(['operator', 'decided'], operators, 'No decision in this range.'),
  );
}

export function reactionTable(stats: Stats): HTMLElement {
  const rows = Object.entries(stats.reactions).map(([kind, r]) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, kind),
      h('td', {}, String(r.done)),
      h('td', {}, String(r.failed)),
      h('td', {}, r.dead === 0 ? '0' : link('#/reactions?status=dead', String(r.dead))),
    ),
  );
  return table(['reactions', 'done', 'failed', 'dead'], rows, 'No email or callback in this range.');
}
