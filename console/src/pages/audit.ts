/** The audit log: who did what to which subject or case, newest first (the whole log needs an admin). */
import { api, query } from '../api.js';
import { h, link, table, when } from '../dom.js';
import type { ConsolePage } from '../page.js';
import { filters, pager, pick, type Listing } from './shared.js';
import type { AuditEntry as Line } from '../../../src/client/types.js';

export const auditPage: ConsolePage = {
  path: '/audit',
  title: 'Audit log',
  nav: true,
  // The whole log is for admins; everyone reads one subject's lines on its timeline.
  role: 'admin',
  async render(context) {
    const params = pick(context, ['subject', 'actor', 'starting_after']);
    const listing = await api<Listing<Line>>('GET', `/admin/api/audit${query({ ...params, limit: 50 })}`);
    const rows = listing.data.map((a) =>
      h(
        'tr',
        {},
        h('td', {}, when(a.at)),
        h('td', {}, a.actor),
        h('td', {}, a.action),
        h('td', {}, a.subject ? link(`#/subjects/${encodeURIComponent(a.subject)}`, a.subject) : '—'),
        h('td', {}, a.target ?? ''),
      ),
    );
    return h(
      'section',
      {},
      h('h1', {}, 'Audit log'),
      filters(context, '/audit', [
        { name: 'subject', label: 'Subject', placeholder: 'ref' },
        { name: 'actor', label: 'Operator id', placeholder: 'op_…' },
      ]),
      table(['When', 'Who', 'What', 'Subject', 'Case or row'], rows, 'Nothing recorded.'),
      pager(context, '/audit', listing, listing.data.at(-1)?.id),
    );
  },
};
