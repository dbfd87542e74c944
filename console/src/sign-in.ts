/** The sign-in form: an operator token is exchanged for a session cookie and never stored by the page. */
import { api, ApiError, type SignedIn } from './api.js';
import { h, replace } from './dom.js';

export function signInForm(root: HTMLElement, onSignedIn: (signedIn: SignedIn) => void): void {
  const input = h('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const error = h('p', { id: 'sign-in-error', class: 'error', role: 'alert' });
  const form = h(
    'form',
    { id: 'sign-in', class: 'card sign-in' },
    h('h1', {}, 'Sign in to idv-outcomes'),
    h('label', { for: 'token' }, 'Operator token'),
    input,
    h('p', { class: 'muted' }, 'Printed once by ', h('code', {}, 'idv operator add'), '.'),
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.textContent = '';
    api<SignedIn>('POST', '/admin/session', { token: input.value })
      .then((signedIn) => {
        input.value = '';
        onSignedIn(signedIn);
      })
      .catch((e: unknown) => {
        error.textContent =
          e instanceof ApiError && e.status === 401 ? 'That token does not sign anyone in.' : String(e);
      });
  });
  replace(root, form);
  input.focus();
}
