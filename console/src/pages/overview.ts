/**
 * Overview: where an operator starts. What needs someone now (open cases, dead letters), then how
 * verifications are going (insights/: funnel, outcomes over time, failure codes, time to verify).
 */
import { api } from '../api.js';
import { h, link } from '../dom.js';
import { insightsSection } from '../insights/insights.js';
import type { ConsolePage } from '../page.js';

interface Listing {
  data: unknown[];
  has_more: boolean;
}

function count(listing: Listing): string {
  return `${listing.data.length}${listing.has_more ? '+' : ''}`;
}

export const overviewPage: ConsolePage = {
  path: '/',
  title: 'Overview',
  nav: true,
  async render(context) {
    const [open, unassigned, dead, insights] = await Promise.all([
      api<Listing>('GET', '/admin/api/reviews?status=open&limit=100'),
      api<Listing>('GET', '/admin/api/reviews?status=open&owner=none&limit=100'),
      api<Listing>('GET', '/admin/api/reactions?status=dead&limit=100'),
      insightsSection(context),
    ]);
    const tile = (label: string, value: string, href: string) =>
      h('a', { class: 'tile', href }, h('span', { class: 'tile-value' }, value), h('span', {}, label));
    return h(
      'section',
      {},
      h('h1', {}, 'Overview'),
      h(
        'div',
        { class: 'tiles' },
        tile('open review cases', count(open), '#/reviews?status=open'),
        tile('unassigned cases', count(unassigned), '#/reviews?status=open&owner=none'),
        tile('dead emails and callbacks', count(dead), '#/reactions?status=dead'),
      ),
      h('p', { class: 'muted' }, 'Start with the ', link('#/reviews', 'review queue'), '.'),
      insights,
    );
  },
};
