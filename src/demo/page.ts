/** The demo page: start a verification for a demo user and watch state, history and emails change. */
export const DEMO_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>idv-outcomes demo</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; max-width: 960px; margin: 24px auto; padding: 0 16px; color: #1a1a1a; }
  h1 { margin-bottom: 4px; } .muted { color: #6b7280; }
  section { border: 1px solid #e5e7eb; border-radius: 8px; padding: 14px 18px; margin: 16px 0; }
  .state { font-size: 22px; font-weight: 600; }
  .state[data-state=verified] { color: #15803d; } .state[data-state=retry_required] { color: #b45309; }
  .state[data-state=in_review] { color: #1d4ed8; } .state[data-state=rejected] { color: #b91c1c; }
  table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: 4px 6px; border-bottom: 1px solid #eee; }
  pre { white-space: pre-wrap; background: #f6f7f9; padding: 8px; margin: 4px 0 12px; }
  .error { color: #b91c1c; } button, input { font: inherit; }
</style>
</head>
<body>
<h1>idv-outcomes demo</h1>
<p class="muted">Everything runs on this machine: a local Stripe Identity emulator, idv-outcomes on SQLite and a mail sink.</p>
<section>
  <h2>1. Start a verification</h2>
  <form id="start">
    <label>Demo user <input id="ref" required></label>
    <label>Email <input id="email" type="email" required></label>
    <button id="start-button">Start verification</button>
  </form>
  <p id="session" hidden>Session <code id="session-id"></code> — <a id="verify-link" href="#">open the verification page</a>
    and choose an outcome (it brings you back here).</p>
  <p class="error" id="error"></p>
</section>
<section>
  <h2>2. The user's state</h2>
  <div class="state" id="state" data-state="unverified">unverified</div>
  <div class="muted" id="attempts"></div>
  <h3>History</h3>
  <table><thead><tr><th>When</th><th>From</th><th>To</th><th>Why</th></tr></thead><tbody id="history"></tbody></table>
</section>
<section>
  <h2>3. Emails sent</h2>
  <div id="emails"><p class="muted">None yet.</p></div>
</section>
<script>
const $ = (s) => document.querySelector(s);
const params = new URLSearchParams(location.search);
const ref = params.get('ref') || sessionStorage.getItem('demo-ref') || ('demo_user_' + Math.random().toString(36).slice(2, 7));
sessionStorage.setItem('demo-ref', ref);
$('#ref').value = ref;
// Each demo user gets an address of their own (their emails are told apart at the sink); the verification
// page sends the person back here, so keep the one they typed for that user.
$('#email').value = sessionStorage.getItem('demo-email:' + ref) || demoEmail(ref);
function demoEmail(user) { return user.toLowerCase().replace(/[^a-z0-9]+/g, '.').replace(/^\\.|\\.$/g, '') + '@demo.test'; }
function td(text) { const c = document.createElement('td'); c.textContent = text == null ? '' : String(text); return c; }
async function json(res) { const body = await res.json(); if (!res.ok) throw new Error(body.error ? body.error.code + ': ' + body.error.message : 'HTTP ' + res.status); return body; }
$('#start').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('#error').textContent = '';
  const user = $('#ref').value.trim();
  sessionStorage.setItem('demo-ref', user);
  sessionStorage.setItem('demo-email:' + user, $('#email').value);
  try {
    const back = location.origin + '/?ref=' + encodeURIComponent(user);
    const s = await json(await fetch('/demo/api/subjects/' + encodeURIComponent(user) + '/sessions', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: $('#email').value, return_url: back }) }));
    $('#session').hidden = false;
    $('#session-id').textContent = s.session_id;
    $('#verify-link').href = s.url;
  } catch (err) { $('#error').textContent = err.message; }
});
async function refresh() {
  const user = $('#ref').value.trim();
  if (!user) return;
  try {
    const s = await json(await fetch('/demo/api/subjects/' + encodeURIComponent(user)));
    $('#state').textContent = s.state;
    $('#state').dataset.state = s.state;
    $('#attempts').textContent = 'attempts used ' + s.attempts.used + ' of ' + s.attempts.max;
    const rows = s.history.slice().reverse().map((h) => { const tr = document.createElement('tr'); tr.append(td(new Date(h.at).toLocaleTimeString()), td(h.from), td(h.to), td(h.reason)); return tr; });
    $('#history').replaceChildren(...rows);
    const mails = await json(await fetch('/demo/api/emails?to=' + encodeURIComponent($('#email').value)));
    if (mails.length) {
      $('#emails').replaceChildren(...mails.map((m) => { const d = document.createElement('div'); const h = document.createElement('strong'); h.textContent = m.subject; h.className = 'email-subject'; const p = document.createElement('pre'); p.textContent = 'To: ' + m.to.join(', ') + '\\n\\n' + m.text; d.append(h, p); return d; }));
    }
  } catch (err) { $('#error').textContent = err.message; }
}
setInterval(refresh, 1000);
refresh();
</script>
</body>
</html>
`;
