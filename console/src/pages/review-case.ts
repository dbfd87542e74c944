/**
 * One review case: the evidence (nothing personal), a reveal of the personal data (audited), and the
 * decision. A decision needs a note and two clicks — the button, then the confirmation naming what will
 * happen — and the note is a textarea outside any form, so Enter only starts a new line.
 */
import { api, ApiError } from '../api.js';
import { badge, facts, h, link, replace, table, when } from '../dom.js';
import { hasRole, type ConsolePage, type PageContext } from '../page.js';
import type { CaseDetail } from '../../../src/client/types.js';

type Json = Record<string, unknown>;
type CaseWithEvidence = CaseDetail;

const DECISIONS = [
  { decision: 'approve', label: 'Approve', css: 'approve', outcome: 'the user becomes verified' },
  { decision: 'reject', label: 'Reject', css: 'danger', outcome: 'the user becomes rejected' },
  { decision: 'retry', label: 'Grant another attempt', css: '', outcome: 'the user may try once more' },
] as const;

function checks(report: Json | null): HTMLElement {
  if (!report) return h('p', { class: 'muted' }, 'No verification report.');
  const rows = (['document', 'selfie', 'id_number'] as const).flatMap((name) => {
    const check = report[name] as { status?: string; error?: { code?: string } | null } | null;
    if (!check) return [];
    return [
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, name),
        h('td', {}, badge(check.status ?? '—')),
        h('td', {}, check.error?.code ?? ''),
      ),
    ];
  });
  const document = (report.document ?? {}) as Json;
  return h(
    'div',
    {},
    table(['Check', 'Status', 'Error code'], rows),
    facts([
      ['Document type', document.type],
      ['Issuing country', document.issuing_country],
      ['Report', report.id],
    ]),
  );
}

function evidenceCard(evidence: Json): HTMLElement {
  const session = evidence.session as Json | null;
  const match = evidence.match;
  const sessions = (evidence.sessions ?? []) as {
    id: string;
    status: string;
    last_error: { code: string } | null;
    created: string;
  }[];
  return h(
    'div',
    { class: 'grid' },
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'ev-session' },
      h('h2', { id: 'ev-session' }, 'Session at Stripe'),
      session
        ? facts([
            ['Session', session.id],
            ['Type', session.type],
            ['Status', session.status],
            ['Last error', (session.last_error as Json | null)?.code],
            ['Options', session.options],
          ])
        : h('p', { class: 'error' }, String(evidence.session_error ?? 'Not available.')),
      evidence.dashboard_url
        ? h(
            'p',
            {},
            h(
              'a',
              { href: String(evidence.dashboard_url), rel: 'noreferrer', target: '_blank' },
              'Open in the Stripe Dashboard',
            ),
          )
        : null,
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'ev-report' },
      h('h2', { id: 'ev-report' }, 'Verification report'),
      evidence.report_error
        ? h('p', { class: 'error' }, String(evidence.report_error))
        : checks(evidence.report as Json | null),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'ev-attempts' },
      h('h2', { id: 'ev-attempts' }, 'Attempts and sessions'),
      facts([
        [
          'Attempts',
          evidence.attempts
            ? `${(evidence.attempts as Json).used} of ${(evidence.attempts as Json).max} used`
            : null,
        ],
      ]),
      table(
        ['Session', 'Status', 'Error', 'Created'],
        sessions.map((s) =>
          h(
            'tr',
            {},
            h('td', {}, s.id),
            h('td', {}, badge(s.status)),
            h('td', {}, s.last_error?.code ?? ''),
            h('td', {}, when(s.created)),
          ),
        ),
      ),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'ev-match' },
      h('h2', { id: 'ev-match' }, 'Verified data against the app'),
      match
        ? h('pre', {}, JSON.stringify(match, null, 2))
        : h('p', { class: 'muted' }, 'No comparison is available for this subject.'),
    ),
  );
}

/** The report's document and selfie images, each streamed through idv (audited, never stored). */
function images(files: { label: string; url: string }[]): HTMLElement {
  if (files.length === 0) return h('p', { class: 'muted' }, 'The report has no images.');
  return h(
    'div',
    { class: 'specimens' },
    files.map((f) => h('figure', {}, h('img', { src: f.url, alt: f.label }), h('figcaption', {}, f.label))),
  );
}

function revealCard(context: PageContext, id: string): HTMLElement {
  const out = h('div', { id: 'revealed' });
  const button = h('button', { type: 'button', id: 'reveal' }, 'Reveal personal data');
  button.addEventListener('click', () => {
    button.disabled = true;
    api<Json>('POST', `/admin/api/reviews/${id}/reveal`)
      .then((data) => {
        const outputs = (data.verified_outputs ?? null) as Json | null;
        const document = (data.document ?? null) as Json | null;
        replace(
          out,
          h('p', { class: 'muted' }, 'Shown once, recorded in the audit log, not stored.'),
          facts([
            ['Verified first name', outputs?.first_name],
            ['Verified last name', outputs?.last_name],
            ['Date of birth', outputs?.dob],
            ['ID number', outputs?.id_number],
            ['Document first name', document?.first_name],
            ['Document last name', document?.last_name],
            ['Document date of birth', document?.dob],
            ['Document expiry', document?.expiration_date],
          ]),
          images((data.files ?? []) as { label: string; url: string }[]),
        );
      })
      .catch((e: unknown) =>
        replace(
          out,
          h('p', { class: 'error', role: 'alert' }, e instanceof ApiError ? e.message : String(e)),
        ),
      )
      .finally(() => (button.disabled = false));
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'reveal-h' },
    h('h2', { id: 'reveal-h' }, 'Personal data'),
    hasRole(context.operator, 'reviewer') ? button : h('p', { class: 'muted' }, 'Reviewers may reveal it.'),
    out,
  );
}

function decisionCard(context: PageContext, review: CaseWithEvidence): HTMLElement {
  const note = h('textarea', { id: 'note', name: 'note', rows: 3, 'aria-describedby': 'note-help' });
  const confirm = h('div', { id: 'confirm' });
  const error = h('p', { class: 'error', role: 'alert' });
  const buttons = DECISIONS.map((d) => {
    const button = h('button', { type: 'button', class: d.css, 'data-decision': d.decision }, d.label);
    button.addEventListener('click', () => {
      error.textContent = '';
      if (note.value.trim() === '') {
        error.textContent = 'Write a note first: say why, for the record.';
        note.focus();
        return;
      }
      const yes = h(
        'button',
        { type: 'button', class: d.css || 'primary', id: 'confirm-decision' },
        `Confirm: ${d.label.toLowerCase()}`,
      );
      const no = h('button', { type: 'button' }, 'Cancel');
      no.addEventListener('click', () => replace(confirm));
      yes.addEventListener('click', () => {
        yes.disabled = true;
        api('POST', `/admin/api/reviews/${review.id}/decision`, { decision: d.decision, note: note.value })
          .then(() => {
            context.flash(
              `Case ${review.id}: ${d.label.toLowerCase()} — ${d.outcome}. Recorded with your note.`,
            );
            context.refresh();
          })
          .catch((e: unknown) => {
            yes.disabled = false;
            error.textContent = e instanceof ApiError ? e.message : String(e);
          });
      });
      replace(
        confirm,
        h(
          'div',
          { class: 'confirm', role: 'alertdialog', 'aria-label': 'Confirm the decision' },
          h('p', {}, `${d.label} case ${review.id} for ${review.subject}: ${d.outcome}.`),
          h('p', {}, `Note: “${note.value.trim()}”`),
          h('div', { class: 'buttons' }, yes, no),
        ),
      );
      yes.focus();
    });
    return button;
  });
  return h(
    'section',
    { class: 'card decision', 'aria-labelledby': 'decide-h' },
    h('h2', { id: 'decide-h' }, 'Decision'),
    h('label', { for: 'note' }, 'Note (required)'),
    note,
    h(
      'p',
      { id: 'note-help', class: 'muted' },
      'Enter starts a new line; deciding takes a button and a confirmation.',
    ),
    h('div', { class: 'buttons' }, buttons),
    confirm,
    error,
  );
}

function holdButtons(context: PageContext, review: CaseWithEvidence): HTMLElement | null {
  if (!hasRole(context.operator, 'reviewer') || review.status !== 'open') return null;
  const mine = review.owner?.id === context.operator.id;
  const action = mine ? 'release' : 'claim';
  const button = h('button', { type: 'button' }, mine ? 'Release the case' : 'Take the case');
  button.addEventListener('click', () => {
    void api('POST', `/admin/api/reviews/${review.id}/${action}`).then(
      () => context.refresh(),
      (e: unknown) => context.flash(String(e), 'error'),
    );
  });
  return button;
}

export const reviewCasePage: ConsolePage = {
  path: '/reviews/:id',
  title: 'Review case',
  nav: false,
  async render(context) {
    const review = await api<CaseWithEvidence>(
      'GET',
      `/admin/api/reviews/${encodeURIComponent(context.params.id!)}`,
    );
    const decided = review.status !== 'open';
    return h(
      'section',
      {},
      h('p', {}, link('#/reviews', '← Review queue')),
      h('h1', {}, `Case for ${review.subject}`),
      h(
        'div',
        { class: 'card' },
        facts([
          ['Case', review.id],
          ['Status', review.status],
          ['Reason', review.reason],
          ['Opened', when(review.opened_at)],
          ['Held by', review.owner ? (review.owner.name ?? review.owner.id) : 'nobody'],
        ]),
        h(
          'p',
          {},
          link(`#/subjects/${encodeURIComponent(review.subject)}`, 'Subject page and timeline'),
          ' ',
          holdButtons(context, review),
        ),
      ),
      decided
        ? h(
            'section',
            { class: 'card', id: 'decided' },
            h('h2', {}, 'Decided'),
            facts([
              ['Outcome', review.status],
              ['By', review.actor],
              ['When', when(review.decided_at)],
              ['Why', review.note],
            ]),
          )
        : null,
      evidenceCard(review.evidence),
      revealCard(context, review.id),
      decided
        ? null
        : hasRole(context.operator, 'reviewer')
          ? decisionCard(context, review)
          : h(
              'section',
              { class: 'card' },
              h('h2', {}, 'Decision'),
              h('p', { class: 'muted' }, 'Reviewers decide cases.'),
            ),
    );
  },
};
