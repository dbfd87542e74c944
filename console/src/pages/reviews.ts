/** Review queue: cases by status and owner, oldest first when open; take a case, open it. */
import { api, query } from '../api.js';
import { age, badge, h, link, table } from '../dom.js';
import { hasRole, type ConsolePage } from '../page.js';
import { filters, pager, pick, type Listing } from './shared.js';
import type { Case } from '../../../src/client/types.js';

export const reviewsPage: ConsolePage = {
  path: '/reviews',
  title: 'Review queue',
  nav: true,
  async render(context) {
    // Open cases unless the filter says otherwise; `all` lists every status, newest first.
    const params = { status: 'open', ...pick(context, ['status', 'owner', 'starting_after']) };
    if (params.status === 'all') delete (params as Record<string, unknown>).status;
    const listing = await api<Listing<Case>>('GET', `/admin/api/reviews${query({ ...params, limit: 50 })}`);
    const reviewer = hasRole(context.operator, 'reviewer');
    const rows = listing.data.map((c) => {
      const take = h('button', { type: 'button' }, 'Take');
      take.addEventListener('click', () => {
        void api('POST', `/admin/api/reviews/${c.id}/claim`)
          .then(() => context.flash(`You hold case ${c.id}.`))
          .catch((e: unknown) => context.flash(String(e), 'error'))
          .finally(() => context.refresh());
      });
      const owner = c.owner
        ? c.owner.id === context.operator.id
          ? 'you'
          : (c.owner.name ?? c.owner.id)
        : '—';
      return h(
        'tr',
        {},
        h('td', {}, link(`#/reviews/${encodeURIComponent(c.id)}`, c.subject)),
        h('td', {}, badge(c.status)),
        h('td', {}, age(c.opened_at)),
        h('td', {}, c.topic),
        h('td', {}, c.reason),
        h('td', {}, owner),
        h('td', {}, reviewer && c.status === 'open' && !c.owner ? take : null),
      );
    });
    return h(
      'section',
      {},
      h('h1', {}, 'Review queue'),
      filters(context, '/reviews', [
        {
          name: 'status',
          label: 'Status',
          options: ['open', 'approved', 'rejected', 'retry_granted', 'superseded'],
        },
        { name: 'owner', label: 'Owner', options: ['me', 'none'] },
      ]),
      table(['Subject', 'Status', 'Age', 'Reason category', 'Reason', 'Owner', ''], rows, 'No cases match.'),
      pager(context, '/reviews', listing, listing.data.at(-1)?.id),
    );
  },
};
