/** The insights part of the Overview: the range picker, then the figures of GET /admin/api/stats. */
import { api } from '../api.js';
import { h } from '../dom.js';
import type { PageContext } from '../page.js';
import {
  attemptsAndReviews,
  failureCodeFigure,
  funnelFigure,
  outcomeTable,
  reactionTable,
  timeToVerifyFigure,
} from './figures.js';
import { outcomeChart } from './outcome-chart.js';
import { apiQuery, rangeForm, rangeOf } from './range-form.js';
import type { Stats } from './stats.js';

export async function insightsSection(context: PageContext): Promise<HTMLElement> {
  const range = rangeOf(context.query);
  const stats = await api<Stats>('GET', `/admin/api/stats?${apiQuery(range)}`);
  const form = rangeForm(range, (next) =>
    context.navigate(`/?${new URLSearchParams({ ...next }).toString()}`),
  );
  const width = Math.max(320, Math.min(1100, window.innerWidth - 96));
  const card = (title: string, ...body: Node[]) =>
    h('section', { class: 'card insight', 'aria-label': title }, h('h3', {}, title), ...body);
  return h(
    'section',
    { class: 'insights' },
    h('h2', {}, 'How verifications are going'),
    form,
    h(
      'p',
      { class: 'muted', id: 'retention-note' },
      `Subjects idv first recorded from ${range.from} through ${range.through} (${stats.tz}). ` +
        'Figures cover what retention has kept: subjects, reactions and audit lines past their retention are no longer counted.',
    ),
    card('Funnel', funnelFigure(stats)),
    card('Outcomes over time', outcomeChart(stats, width), outcomeTable(stats)),
    card('Failure codes', failureCodeFigure(stats)),
    card('Time to verify', timeToVerifyFigure(stats)),
    card('Attempts and reviews', attemptsAndReviews(stats)),
    card('Emails and callbacks', reactionTable(stats)),
  );
}
