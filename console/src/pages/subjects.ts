/**
 * Subjects: filter by state and failure code, search by ref, page through, open one. The Overview's numbers
 * link here with the filters behind them (`ever_code`, `from`, `to`, `submitted`, `tz`), so the list has
 * exactly that many rows.
 */
import { SUBJECT_STATES } from '../../../src/domain/terms.js';
import { api, query } from '../api.js';
import { badge, h, link, table, when } from '../dom.js';
import type { ConsolePage } from '../page.js';
import { filters, pager, pick, type Listing } from './shared.js';

interface Summary {
  ref: string;
  state: string;
  attempts: { used: number; max: number };
  last_error_code: string | null;
  updated_at: string;
}

// The service's own list: the console bundle takes it from the domain's terms (types only, no I/O).
const STATES = [...SUBJECT_STATES];

const LINK_FILTERS = ['ever_code', 'from', 'to', 'submitted', 'tz'];
const FILTERS = ['state', 'code', 'q', ...LINK_FILTERS];

export const subjectsPage: ConsolePage = {
  path: '/subjects',
  title: 'Subjects',
  nav: true,
  async render(context) {
    const params = pick(context, [...FILTERS, 'starting_after']);
    const linked = LINK_FILTERS.filter((f) => context.query.get(f)).map(
      (f) => `${f} ${context.query.get(f)}`,
    );
    const listing = await api<Listing<Summary>>(
      'GET',
      `/admin/api/subjects${query({ ...params, limit: 50 })}`,
    );
    const rows = listing.data.map((s) =>
      h(
        'tr',
        {},
        h('td', {}, link(`#/subjects/${encodeURIComponent(s.ref)}`, s.ref)),
        h('td', {}, badge(s.state)),
        h('td', {}, `${s.attempts.used} / ${s.attempts.max}`),
        h('td', {}, s.last_error_code ?? ''),
        h('td', {}, when(s.updated_at)),
      ),
    );
    return h(
      'section',
      {},
      h('h1', {}, 'Subjects'),
      filters(context, '/subjects', [
        { name: 'state', label: 'State', options: STATES },
        { name: 'code', label: 'Failure code', placeholder: 'selfie_manipulated' },
        { name: 'q', label: 'Ref contains', placeholder: 'user_' },
      ]),
      linked.length ? h('p', { class: 'muted' }, `From the Overview: ${linked.join(', ')}.`) : null,
      h('p', { id: 'subject-count' }, `${listing.data.length}${listing.has_more ? '+' : ''} subjects`),
      table(['Ref', 'State', 'Attempts', 'Failure code', 'Updated'], rows, 'No subjects match.'),
      pager(context, '/subjects', listing, listing.data.at(-1)?.ref),
    );
  },
};
