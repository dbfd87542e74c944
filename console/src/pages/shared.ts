/** Pieces several pages share: filter forms that write the query, and a "next page" link. */
import { h } from '../dom.js';
import type { Page } from '../../../src/client/types.js';
import type { PageContext } from '../page.js';

/** A page of an admin list, as the typed client declares it (src/client/types.ts). */
export type Listing<T> = Page<T>;

type Field = { name: string; label: string } & (
  | { options: string[]; /** What the page shows when the query says nothing. */ fallback?: string }
  | { placeholder: string }
);

/** A filter form: submitting it navigates to `path` with the chosen values (so the URL can be shared). */
export function filters(context: PageContext, path: string, fields: Field[]): HTMLFormElement {
  const controls = fields.map((field) => {
    const value = context.query.get(field.name) ?? ('fallback' in field ? (field.fallback ?? '') : '');
    const control =
      'options' in field
        ? h(
            'select',
            { name: field.name, id: `filter-${field.name}` },
            [...(field.fallback === undefined ? [''] : []), ...field.options].map((o) =>
              h('option', { value: o, selected: o === value }, o === '' ? 'any' : o),
            ),
          )
        : h('input', { name: field.name, id: `filter-${field.name}`, value, placeholder: field.placeholder });
    return h('label', { for: `filter-${field.name}` }, field.label, control);
  });
  const form = h(
    'form',
    { class: 'filters', role: 'search' },
    controls,
    h('button', { type: 'submit' }, 'Filter'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const search = new URLSearchParams();
    for (const [key, value] of new FormData(form))
      if (typeof value === 'string' && value !== '') search.set(key, value);
    context.navigate(`${path}${search.size ? `?${search}` : ''}`);
  });
  return form;
}

/** "Next page" after `lastId`, keeping the other filters; nothing when there is no more. */
export function pager(
  context: PageContext,
  path: string,
  listing: Listing<unknown>,
  lastId: string | number | undefined,
) {
  const links: HTMLElement[] = [];
  if (context.query.has('starting_after')) {
    const first = new URLSearchParams(context.query);
    first.delete('starting_after');
    links.push(h('a', { href: `#${path}${first.size ? `?${first}` : ''}` }, 'First page'));
  }
  if (listing.has_more && lastId !== undefined) {
    const next = new URLSearchParams(context.query);
    next.set('starting_after', String(lastId));
    links.push(h('a', { href: `#${path}?${next}`, rel: 'next' }, 'Next page'));
  }
  return h('nav', { class: 'pager', 'aria-label': 'Pages' }, links);
}

/** The query's values for the API, from the names given. */
export function pick(context: PageContext, names: string[]): Record<string, string | undefined> {
  return Object.fromEntries(names.map((n) => [n, context.query.get(n) ?? undefined]));
}
