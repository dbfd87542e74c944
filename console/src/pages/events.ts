/**
 * Stripe events as received: the list (status filter, session and subject columns, why an event was
 * ignored or failed) and one event with its payload, personal values masked by the API; replay (admin).
 */
import { api, query } from '../api.js';
import { badge, facts, h, link, table, when } from '../dom.js';
import { hasRole, type ConsolePage, type PageContext } from '../page.js';
import { filters, pager, pick, type Listing } from './shared.js';
import type { StoredEvent, StoredEventDetail } from '../../../src/client/types.js';

const replayable = (e: StoredEvent) => e.status !== 'pending' && e.status !== 'ignored';

function subjectLink(ref: string | null): Node | string {
  return ref ? link(`#/subjects/${encodeURIComponent(ref)}`, ref) : '—';
}

function replayButton(context: PageContext, e: StoredEvent): HTMLButtonElement | null {
  if (!hasRole(context.operator, 'admin') || !replayable(e)) return null;
  const again = h('button', { type: 'button', 'aria-label': `Replay ${e.id}` }, 'Replay');
  again.addEventListener('click', () => {
    again.disabled = true;
    void api('POST', `/admin/api/events/${encodeURIComponent(e.id)}/replay`).then(
      () => {
        context.flash(`${e.id} will be processed again.`);
        context.refresh();
      },
      (x: unknown) => {
        again.disabled = false;
        context.flash(String(x), 'error');
      },
    );
  });
  return again;
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
    const rows = listing.data.map((e) =>
      h(
        'tr',
        {},
        h('td', {}, link(`#/events/${encodeURIComponent(e.id)}`, e.id)),
        h('td', {}, e.type.replace(/^identity\.verification_session\./, '')),
        h('td', {}, subjectLink(e.subject)),
        h('td', {}, e.session ?? '—'),
        h('td', {}, badge(e.status)),
        h('td', {}, e.ignored_reason ?? e.last_error ?? ''),
        h('td', {}, when(e.received_at)),
        h('td', {}, replayButton(context, e)),
      ),
    );
    return h(
      'section',
      {},
      h('h1', {}, 'Events'),
      filters(context, '/events', [
        { name: 'status', label: 'Status', options: ['pending', 'processed', 'ignored', 'failed', 'dead'] },
      ]),
      table(
        ['Event', 'Type', 'Subject', 'Session', 'Status', 'Note', 'Received', ''],
        rows,
        'No events match.',
      ),
      pager(context, '/events', listing, listing.data.at(-1)?.id),
    );
  },
};

export const eventPage: ConsolePage = {
  path: '/events/:id',
  title: 'Event',
  nav: false,
  async render(context) {
    const id = context.params.id!;
    const e = await api<StoredEventDetail>('GET', `/admin/api/events/${encodeURIComponent(id)}`);
    return h(
      'section',
      {},
      h('p', {}, link('#/events', '← Events')),
      h('h1', {}, e.id),
      h(
        'div',
        { class: 'card' },
        facts([
          ['Type', e.type],
          ['Status', badge(e.status)],
          ['Subject', subjectLink(e.subject)],
          ['Session', e.session],
          ['Ignored because', e.ignored_reason],
          ['Attempts', e.attempts],
          ['Last error', e.last_error],
          ['Received', when(e.received_at)],
          ['Processed', when(e.processed_at)],
        ]),
        replayButton(context, e),
      ),
      h('h2', {}, 'Payload'),
      h(
        'p',
        { class: 'muted' },
        'As Stripe sent it, with every personal value shown as •••. Personal data is shown only by ' +
          'revealing it on a review case, which is audited.',
      ),
      h(
        'pre',
        { class: 'card payload', id: 'payload', tabindex: 0, 'aria-label': 'Event payload' },
        e.payload === null ? 'The payload is not JSON.' : JSON.stringify(e.payload, null, 2),
      ),
    );
  },
};
