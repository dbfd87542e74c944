/**
 * Subjects: the list behind a number of the Overview (`#/subjects?ever_code=…&from=…&to=…`), filtered as
 * GET /admin/api/subjects filters it, most recently updated first, 100 a page.
 */
import { api } from '../api.js';
import { badge, h, link, table, when } from '../dom.js';
import type { ConsolePage } from '../page.js';

interface Summary {
  ref: string;
  state: string;
  attempts: { used: number; max: number };
  last_error_code: string | null;
  updated_at: string;
}

const FILTERS = ['state', 'code', 'ever_code', 'from', 'to', 'submitted', 'q', 'tz'] as const;

export const subjectsPage: ConsolePage = {
  path: '/subjects',
  title: 'Subjects',
  nav: true,
  async render({ query }) {
    const params = new URLSearchParams();
    for (const name of FILTERS) {
      const value = query.get(name);
      if (value) params.set(name, value);
    }
    params.set('limit', '100');
    const after = query.get('starting_after');
    if (after) params.set('starting_after', after);
    const page = await api<{ data: Summary[]; has_more: boolean }>('GET', `/admin/api/subjects?${params}`);
    const shown = FILTERS.filter((f) => query.get(f)).map((f) => `${f} ${query.get(f)}`);
    const rows = page.data.map((s) =>
      h(
        'tr',
        {},
        h('td', {}, s.ref),
        h('td', {}, badge(s.state)),
        h('td', {}, `${s.attempts.used} of ${s.attempts.max}`),
        h('td', {}, s.last_error_code ?? '—'),
        h('td', {}, when(s.updated_at)),
      ),
    );
    const next = new URLSearchParams(query);
    if (page.data.length > 0) next.set('starting_after', page.data.at(-1)!.ref);
    return h(
      'section',
      {},
      h('h1', {}, 'Subjects'),
      h('p', { class: 'muted' }, shown.length ? `Filtered by ${shown.join(', ')}.` : 'Every subject.'),
      h('p', { id: 'subject-count' }, `${page.data.length}${page.has_more ? '+' : ''} subjects`),
      table(['ref', 'state', 'failed attempts', 'failure code', 'updated'], rows, 'No subject matches.'),
      page.has_more ? link(`#/subjects?${next}`, 'Next page') : null,
    );
  },
};
