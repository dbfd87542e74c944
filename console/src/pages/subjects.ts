/** Subjects: filter by state and failure code, search by ref, page through, open one. */
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

const STATES = [
  'unverified',
  'pending',
  'processing',
  'retry_required',
  'in_review',
  'verified',
  'rejected',
  'canceled',
];

export const subjectsPage: ConsolePage = {
  path: '/subjects',
  title: 'Subjects',
  nav: true,
  async render(context) {
    const params = pick(context, ['state', 'code', 'q', 'starting_after']);
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
      table(['Ref', 'State', 'Attempts', 'Failure code', 'Updated'], rows, 'No subjects match.'),
      pager(context, '/subjects', listing, listing.data.at(-1)?.ref),
    );
  },
};
