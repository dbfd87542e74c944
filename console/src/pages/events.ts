/** Stripe events as received: status, session, ignored reason; replay one (admin). */
import { api, query } from '../api.js';
import { badge, h, table, when } from '../dom.js';
import { hasRole, type ConsolePage } from '../page.js';
import { filters, pager, pick, type Listing } from './shared.js';

interface StoredEvent {
  id: string;
  type: string;
  status: string;
  object_id?: string | null;
  ignored_reason?: string | null;
  attempts: number;
  received_at: string;
  last_error: string | null;
}

export const eventsPage: ConsolePage = {
  path: '/events',
  title: 'Events',
  nav: true,
  async render(context) {
    const listing = await api<Listing<StoredEvent>>(
      'GET',
      `/admin/api/events${query({ ...pick(context, ['status', 'starting_after']), limit: 50 })}`,
    );
    const admin = hasRole(context.operator, 'admin');
    const rows = listing.data.map((e) => {
      const again = h('button', { type: 'button' }, 'Replay');
      again.addEventListener('click', () => {
        void api('POST', `/admin/api/events/${encodeURIComponent(e.id)}/replay`).then(
          () => {
            context.flash(`${e.id} will be processed again.`);
            context.refresh();
          },
          (x: unknown) => context.flash(String(x), 'error'),
        );
      });
      return h(
        'tr',
        {},
        h('td', {}, e.id),
        h('td', {}, e.type),
        h('td', {}, e.object_id ?? ''),
        h('td', {}, badge(e.status)),
        h('td', {}, e.ignored_reason ?? e.last_error ?? ''),
        h('td', {}, when(e.received_at)),
        h('td', {}, admin && e.status !== 'pending' && e.status !== 'ignored' ? again : null),
      );
    });
    return h(
      'section',
      {},
      h('h1', {}, 'Events'),
      filters(context, '/events', [
        { name: 'status', label: 'Status', options: ['pending', 'processed', 'ignored', 'failed', 'dead'] },
      ]),
      table(['Event', 'Type', 'Session', 'Status', 'Note', 'Received', ''], rows, 'No events match.'),
      pager(context, '/events', listing, listing.data.at(-1)?.id),
    );
  },
};
