/** Unlinked sessions: Stripe sessions no subject could be found for, kept so nothing is dropped. */
import { api } from '../api.js';
import { badge, h, table, when } from '../dom.js';
import type { ConsolePage } from '../page.js';
import type { Listing } from './shared.js';

interface Unlinked {
  id: string;
  status: string;
  last_error: { code: string } | null;
  created: string;
  livemode: boolean;
}

export const sessionsPage: ConsolePage = {
  path: '/sessions',
  title: 'Unlinked sessions',
  nav: true,
  async render() {
    const listing = await api<Listing<Unlinked>>('GET', '/admin/api/sessions/unlinked?limit=100');
    const rows = listing.data.map((s) =>
      h(
        'tr',
        {},
        h('td', {}, s.id),
        h('td', {}, badge(s.status)),
        h('td', {}, s.last_error?.code ?? ''),
        h('td', {}, when(s.created)),
        h('td', {}, s.livemode ? 'live' : 'test'),
      ),
    );
    return h(
      'section',
      {},
      h('h1', {}, 'Unlinked sessions'),
      h('p', { class: 'muted' }, 'Sessions whose metadata.user_id and client_reference_id name no subject.'),
      table(['Session', 'Status', 'Error', 'Created', 'Mode'], rows, 'Every session belongs to a subject.'),
    );
  },
};
