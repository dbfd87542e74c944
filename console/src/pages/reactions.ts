/** Emails and callbacks: by status and subject, with the last error; replay one, or every dead one (admin). */
import { api, query } from '../api.js';
import { badge, h, link, table, when } from '../dom.js';
import { hasRole, type ConsolePage } from '../page.js';
import { filters, pager, pick, type Listing } from './shared.js';
import type { Reaction } from '../../../src/client/types.js';

export const reactionsPage: ConsolePage = {
  path: '/reactions',
  title: 'Emails & callbacks',
  nav: true,
  async render(context) {
    const params = pick(context, ['status', 'subject', 'starting_after']);
    const listing = await api<Listing<Reaction>>(
      'GET',
      `/admin/api/reactions${query({ ...params, limit: 50 })}`,
    );
    const admin = hasRole(context.operator, 'admin');
    const replay = (path: string, body: unknown, done: string) =>
      api('POST', path, body).then(
        () => {
          context.flash(done);
          context.refresh();
        },
        (e: unknown) => context.flash(String(e), 'error'),
      );
    const rows = listing.data.map((r) => {
      const again = h('button', { type: 'button' }, 'Replay');
      again.addEventListener(
        'click',
        () => void replay(`/admin/api/reactions/${r.id}/replay`, {}, `Reaction ${r.id} will be tried again.`),
      );
      return h(
        'tr',
        {},
        h('td', {}, String(r.id)),
        h('td', {}, r.kind),
        h('td', {}, r.topic),
        h('td', {}, badge(r.status)),
        h('td', {}, String(r.attempts)),
        h('td', {}, r.subject ? link(`#/subjects/${encodeURIComponent(r.subject)}`, r.subject) : '—'),
        h('td', {}, r.last_error ?? ''),
        h('td', {}, when(r.created_at)),
        h('td', {}, admin && (r.status === 'dead' || r.status === 'failed') ? again : null),
      );
    });
    const all = h('button', { type: 'button', id: 'replay-dead' }, 'Replay every dead one');
    all.addEventListener(
      'click',
      () =>
        void replay(
          '/admin/api/reactions/replay',
          { status: 'dead' },
          'Every dead reaction will be tried again.',
        ),
    );
    return h(
      'section',
      {},
      h('h1', {}, 'Emails & callbacks'),
      filters(context, '/reactions', [
        { name: 'status', label: 'Status', options: ['pending', 'done', 'skipped', 'failed', 'dead'] },
        { name: 'subject', label: 'Subject', placeholder: 'ref' },
      ]),
      admin ? h('p', {}, all) : null,
      table(
        ['Id', 'Kind', 'Topic', 'Status', 'Attempts', 'Subject', 'Last error', 'Created', ''],
        rows,
        'No emails or callbacks match.',
      ),
      pager(context, '/reactions', listing, listing.data.at(-1)?.id),
    );
  },
};
