/**
 * The admin UI: one static page that talks to the admin API with the token the operator types in (kept
 * in sessionStorage only). It renders every value with textContent, never innerHTML, so nothing from an
 * event or a note can inject markup.
 */
export const ADMIN_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>idv-outcomes admin</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1a1a1a; background: #f6f7f9; }
  header { background: #24292f; color: #fff; padding: 10px 20px; display: flex; gap: 16px; align-items: center; }
  header h1 { font-size: 16px; margin: 0 16px 0 0; }
  header button { background: none; border: 0; color: #cfd6dd; cursor: pointer; font-size: 14px; }
  header button.active { color: #fff; text-decoration: underline; }
  main { padding: 20px; }
  table { border-collapse: collapse; width: 100%; background: #fff; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #e5e7eb; vertical-align: top; }
  th { background: #eef0f3; }
  .muted { color: #6b7280; }
  .error { color: #b91c1c; }
  form.inline { display: flex; gap: 6px; }
  input, select, button { font: inherit; }
  pre { background: #fff; padding: 10px; overflow: auto; }
</style>
</head>
<body>
<header>
  <h1>idv-outcomes</h1>
  <button data-tab="reviews" class="active">Review queue</button>
  <button data-tab="events">Events</button>
  <button data-tab="subject">Subject</button>
  <span style="flex:1"></span>
  <button id="logout">Sign out</button>
</header>
<main>
  <section id="login" hidden>
    <h2>Sign in</h2>
    <form id="login-form" class="inline">
      <input id="token" type="password" placeholder="IDV_ADMIN_TOKEN" autocomplete="current-password" required>
      <button>Sign in</button>
    </form>
    <p class="error" id="login-error"></p>
  </section>
  <section id="reviews" hidden>
    <h2>Open review cases</h2>
    <table><thead><tr><th>Case</th><th>Subject</th><th>Reason</th><th>Opened</th><th>Decision</th></tr></thead><tbody></tbody></table>
    <p class="muted" id="reviews-empty" hidden>No open cases.</p>
  </section>
  <section id="events" hidden>
    <h2>Events</h2>
    <form class="inline" id="events-filter">
      <select id="event-status"><option value="">all</option><option>pending</option><option>processed</option>
        <option>ignored</option><option>failed</option><option>dead</option></select>
      <button>Show</button>
    </form>
    <table><thead><tr><th>Event</th><th>Type</th><th>Status</th><th>Attempts</th><th>Received</th><th>Last error</th><th></th></tr></thead><tbody></tbody></table>
  </section>
  <section id="subject" hidden>
    <h2>Subject</h2>
    <form class="inline" id="subject-form"><input id="subject-ref" placeholder="user reference" required><button>Look up</button></form>
    <pre id="subject-out"></pre>
  </section>
  <p class="error" id="error"></p>
</main>
<script>
const $ = (s) => document.querySelector(s);
const token = () => sessionStorage.getItem('idv-admin-token');
function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}
async function api(path, options = {}) {
  const res = await fetch(path, { ...options, headers: { authorization: 'Bearer ' + token(), 'content-type': 'application/json', ...(options.headers || {}) } });
  if (res.status === 401) { sessionStorage.removeItem('idv-admin-token'); show('login'); throw new Error('Please sign in.'); }
  const body = res.status === 204 ? null : await res.json();
  if (!res.ok) throw new Error((body && body.error && body.error.message) || ('HTTP ' + res.status));
  return body;
}
function show(tab) {
  for (const id of ['login', 'reviews', 'events', 'subject']) $('#' + id).hidden = id !== tab;
  document.querySelectorAll('header button[data-tab]').forEach((b) => b.classList.toggle('active', b.dataset.tab === tab));
  $('#error').textContent = '';
  if (tab === 'reviews') loadReviews().catch(fail);
  if (tab === 'events') loadEvents().catch(fail);
}
function fail(err) { $('#error').textContent = err.message; }
async function loadReviews() {
  const { data } = await api('/admin/api/reviews?status=open');
  const body = $('#reviews tbody');
  body.replaceChildren();
  $('#reviews-empty').hidden = data.length > 0;
  for (const r of data) {
    const tr = el('tr');
    tr.append(el('td', r.id), el('td', r.subject), el('td', r.reason), el('td', new Date(r.opened_at).toLocaleString()));
    const cell = el('td');
    const form = el('form', undefined, { class: 'inline' });
    const note = el('input', undefined, { placeholder: 'note (required)', required: '' });
    const approve = el('button', 'Approve', { value: 'approve' });
    const reject = el('button', 'Reject', { value: 'reject' });
    form.append(note, approve, reject);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const decision = e.submitter ? e.submitter.value : 'approve';
      try {
        await api('/admin/api/reviews/' + encodeURIComponent(r.id) + '/decision', { method: 'POST', body: JSON.stringify({ decision, note: note.value }) });
        await loadReviews();
      } catch (err) { fail(err); }
    });
    cell.append(form);
    tr.append(cell);
    body.append(tr);
  }
}
async function loadEvents() {
  const status = $('#event-status').value;
  const { data } = await api('/admin/api/events?limit=100' + (status ? '&status=' + status : ''));
  const body = $('#events tbody');
  body.replaceChildren();
  for (const e of data) {
    const tr = el('tr');
    tr.append(el('td', e.id), el('td', e.type), el('td', e.status), el('td', e.attempts), el('td', new Date(e.received_at).toLocaleString()), el('td', e.last_error || ''));
    const cell = el('td');
    if (['processed', 'failed', 'dead'].includes(e.status)) {
      const replay = el('button', 'Replay');
      replay.addEventListener('click', () => api('/admin/api/events/' + encodeURIComponent(e.id) + '/replay', { method: 'POST', body: '{}' }).then(loadEvents, fail));
      cell.append(replay);
    }
    tr.append(cell);
    body.append(tr);
  }
}
$('#events-filter').addEventListener('submit', (e) => { e.preventDefault(); loadEvents().catch(fail); });
$('#subject-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  try { $('#subject-out').textContent = JSON.stringify(await api('/admin/api/subjects/' + encodeURIComponent($('#subject-ref').value)), null, 2); } catch (err) { fail(err); }
});
$('#login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  sessionStorage.setItem('idv-admin-token', $('#token').value);
  try { await api('/admin/api/events?limit=1'); show('reviews'); } catch (err) { $('#login-error').textContent = err.message; }
});
$('#logout').addEventListener('click', () => { sessionStorage.removeItem('idv-admin-token'); show('login'); });
document.querySelectorAll('header button[data-tab]').forEach((b) => b.addEventListener('click', () => (token() ? show(b.dataset.tab) : show('login'))));
show(token() ? 'reviews' : 'login');
</script>
</body>
</html>
`;
