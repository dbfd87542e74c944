/** One subject: its state and attempts, its timeline, and (for admins) erasure with a confirmation. */
import { api, ApiError } from '../api.js';
import { badge, h, link, replace, when } from '../dom.js';
import { hasRole, type ConsolePage, type PageContext } from '../page.js';

type Json = Record<string, unknown>;
interface Entry {
  at: string;
  kind: string;
  [field: string]: unknown;
}

function describe(e: Entry): string {
  switch (e.kind) {
    case 'session':
      return `session ${String(e.session_id)} (${String(e.status)})`;
    case 'event':
      return `${String(e.type)} — ${String(e.status)}${e.ignored_reason ? `: ${String(e.ignored_reason)}` : ''}`;
    case 'state':
      return `${String(e.from ?? '—')} → ${String(e.to)}: ${String(e.reason)}${e.actor ? ` (by ${String(e.actor)})` : ''}`;
    case 'review':
      return `case ${String(e.id)} ${String(e.status)}${e.actor ? ` by ${String(e.actor)}` : ''}${e.reason ? `: ${String(e.reason)}` : ''}`;
    case 'reaction':
      return `${String(e.reaction)} ${String(e.topic)} — ${String(e.status)}${e.last_error ? `: ${String(e.last_error)}` : ''}`;
    case 'audit':
      return `${String(e.actor)}: ${String(e.action)}${e.target ? ` ${String(e.target)}` : ''}`;
    default:
      return JSON.stringify(e);
  }
}

function eraseCard(context: PageContext, ref: string): HTMLElement {
  const area = h('div', {});
  const start = h('button', { type: 'button', class: 'danger', id: 'erase' }, 'Erase this subject…');
  start.addEventListener('click', () => {
    const typed = h('input', { id: 'erase-ref', autocomplete: 'off' });
    const yes = h('button', { type: 'button', class: 'danger' }, 'Erase for good');
    const error = h('p', { class: 'error', role: 'alert' });
    yes.addEventListener('click', () => {
      if (typed.value !== ref) {
        error.textContent = 'Type the ref exactly to confirm.';
        return;
      }
      api('DELETE', `/admin/api/subjects/${encodeURIComponent(ref)}`)
        .then(() => {
          context.flash(`${ref} was erased.`);
          context.navigate('/subjects');
        })
        .catch((e: unknown) => (error.textContent = e instanceof ApiError ? e.message : String(e)));
    });
    replace(
      area,
      h(
        'div',
        { class: 'confirm' },
        h(
          'p',
          {},
          'Erasure redacts the sessions at Stripe and purges every personal field; it cannot be undone.',
        ),
        h('label', { for: 'erase-ref' }, `Type ${ref} to confirm`),
        ' ',
        typed,
        ' ',
        yes,
        error,
      ),
    );
    typed.focus();
  });
  return h('section', { class: 'card' }, h('h2', {}, 'Erasure'), start, area);
}

export const subjectPage: ConsolePage = {
  path: '/subjects/:ref',
  title: 'Subject',
  nav: false,
  async render(context) {
    const ref = context.params.ref!;
    const path = `/admin/api/subjects/${encodeURIComponent(ref)}`;
    const [view, timeline] = await Promise.all([
      api<Json>('GET', path),
      api<{ data: Entry[] }>('GET', `${path}/timeline`),
    ]);
    const attempts = view.attempts as { used: number; max: number; left: number };
    const review = view.review as { id: string } | null;
    return h(
      'section',
      {},
      h('p', {}, link('#/subjects', '← Subjects')),
      h('h1', {}, ref),
      h(
        'div',
        { class: 'card' },
        h(
          'dl',
          { class: 'facts' },
          h('dt', {}, 'State'),
          h('dd', {}, badge(String(view.state))),
          h('dt', {}, 'Attempts'),
          h('dd', {}, `${attempts.used} of ${attempts.max} used, ${attempts.left} left`),
          h('dt', {}, 'Open case'),
          h('dd', {}, review ? link(`#/reviews/${encodeURIComponent(review.id)}`, review.id) : 'none'),
        ),
      ),
      h('h2', {}, 'Timeline'),
      h(
        'ol',
        { class: 'timeline card', id: 'timeline' },
        timeline.data.map((e) =>
          h(
            'li',
            {},
            h('span', { class: 'muted' }, when(e.at)),
            h('span', {}, badge(e.kind)),
            h('span', {}, describe(e)),
          ),
        ),
      ),
      hasRole(context.operator, 'admin') ? eraseCard(context, ref) : null,
    );
  },
};
