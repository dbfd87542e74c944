/**
 * The operator console: signs in, then renders the page of the location's hash (`#/reviews/rev_…`) inside
 * one layout with a role-aware navigation. Pages live in pages/; this file only routes.
 */
import { api, ApiError, setCsrf, type SignedIn } from './api.js';
import { h, replace } from './dom.js';
import { hasRole, match, type PageContext } from './page.js';
import { PAGES } from './pages/index.js';
import { signInForm } from './sign-in.js';

const root = document.getElementById('app')!;

function currentRoute(): { path: string; query: URLSearchParams } {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path = '/', search = ''] = hash.split('?', 2);
  return { path, query: new URLSearchParams(search) };
}

function layout(signedIn: SignedIn, active: string): { main: HTMLElement; flash: HTMLElement } {
  const { operator } = signedIn;
  const signOut = h('button', { type: 'button', id: 'sign-out', class: 'link' }, 'Sign out');
  signOut.addEventListener('click', () => {
    void api('POST', '/admin/session/sign-out').finally(() => start());
  });
  const nav = h(
    'nav',
    { 'aria-label': 'Console' },
    h(
      'ul',
      {},
      PAGES.filter((p) => p.nav && hasRole(operator, p.role ?? 'viewer')).map((p) =>
        h(
          'li',
          {},
          h('a', { href: `#${p.path}`, 'aria-current': p.path === active ? 'page' : null }, p.title),
        ),
      ),
    ),
  );
  const flash = h('div', { id: 'flash', role: 'status', 'aria-live': 'polite' });
  const main = h('main', { id: 'main', tabindex: -1 });
  replace(
    root,
    h(
      'header',
      { class: 'top' },
      h('a', { class: 'brand', href: '#/' }, 'idv-outcomes'),
      nav,
      h('span', { class: 'who' }, `${operator.name} · ${operator.role}`, ' ', signOut),
    ),
    flash,
    main,
  );
  return { main, flash };
}

let signedIn: SignedIn | null = null;
let pendingFlash: { message: string; kind: 'ok' | 'error' } | null = null;

async function render(): Promise<void> {
  if (!signedIn) return;
  const { path, query } = currentRoute();
  const found = match(PAGES, path);
  const active = found && found.page.nav ? found.page.path : `/${path.split('/')[1] ?? ''}`;
  const { main, flash } = layout(signedIn, active);
  const showFlash = (message: string, kind: 'ok' | 'error' = 'ok') => {
    replace(flash, h('p', { class: `flash flash-${kind}` }, message));
  };
  if (pendingFlash) showFlash(pendingFlash.message, pendingFlash.kind);
  pendingFlash = null;
  if (!found) {
    replace(main, h('h1', {}, 'Not found'), h('p', {}, `No page ${path}.`));
    return;
  }
  const context: PageContext = {
    operator: signedIn.operator,
    params: found.params,
    query,
    navigate: (to) => {
      location.hash = `#${to}`;
    },
    refresh: () => void render(),
    flash: (message, kind = 'ok') => {
      pendingFlash = { message, kind };
      showFlash(message, kind);
    },
  };
  document.title = `${found.page.title} · idv-outcomes`;
  if (!hasRole(signedIn.operator, found.page.role ?? 'viewer')) {
    replace(main, h('h1', {}, found.page.title), h('p', {}, `This page needs the ${found.page.role} role.`));
    return;
  }
  replace(main, h('p', { class: 'muted' }, 'Loading…'));
  try {
    replace(main, await found.page.render(context));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return start();
    replace(main, h('h1', {}, found.page.title), h('p', { class: 'error', role: 'alert' }, String(error)));
  }
}

function start(): void {
  signedIn = null;
  const ask = () => signInForm(root, enter);
  api<SignedIn | { operator: null }>('GET', '/admin/session')
    .then((answer) => (answer.operator === null ? ask() : enter(answer as SignedIn)))
    .catch(ask);
}

function enter(s: SignedIn): void {
  signedIn = s;
  setCsrf(s.csrf_token);
  void render();
}

window.addEventListener('hashchange', () => void render());
start();
