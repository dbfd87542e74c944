/** HTML for the hosted verification page. Plain markup, no scripts, every interpolated value escaped. */
import type { EmulatedSession } from '../model.js';

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · idv emulator</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 34rem; margin: 3rem auto; padding: 0 1rem; color: #1a1f36; }
  .badge { display: inline-block; background: #ffde92; color: #7a4b00; border-radius: 4px; padding: 0 .4rem; font-size: .8rem; }
  fieldset { border: 1px solid #e3e8ee; border-radius: 8px; padding: 1rem; margin: 1rem 0; }
  label { display: block; margin: .4rem 0; }
  select, button { font: inherit; padding: .4rem .6rem; }
  button { background: #635bff; color: white; border: 0; border-radius: 6px; cursor: pointer; }
  code { background: #f6f8fa; padding: 0 .2rem; }
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

export function renderVerifyPage(
  session: EmulatedSession,
  failureCodes: readonly string[],
  reasonFor: (code: string) => string,
): string {
  const options = failureCodes
    .map(
      (code) =>
        `<option value="${escapeHtml(code)}">${escapeHtml(code)}: ${escapeHtml(reasonFor(code))}</option>`,
    )
    .join('\n        ');
  return layout(
    'Verify your identity',
    `<p><span class="badge">TEST MODE</span></p>
<h1>Verify your identity</h1>
<p>Session <code>${escapeHtml(session.id)}</code> (${escapeHtml(session.type)}). Nothing is uploaded in test mode:
choose the outcome of this submission.</p>
<form method="post" action="/verify/${encodeURIComponent(session.id)}">
  <fieldset>
    <label for="outcome">Outcome</label>
    <select id="outcome" name="outcome">
      <option value="verified" selected>Verified</option>
      <optgroup label="Fail with last_error.code">
        ${options}
      </optgroup>
    </select>
  </fieldset>
  <fieldset>
    <legend>Verified outputs to report (blank keeps the test persona)</legend>
    <label>First name <input name="verified_outputs[first_name]"></label>
    <label>Last name <input name="verified_outputs[last_name]"></label>
    <label>Date of birth <input name="verified_outputs[dob][day]" size="2" placeholder="DD">
      <input name="verified_outputs[dob][month]" size="2" placeholder="MM">
      <input name="verified_outputs[dob][year]" size="4" placeholder="YYYY"></label>
    <label>Country <input name="verified_outputs[address][country]" size="2" placeholder="US"></label>
    <label>ID number <input name="verified_outputs[id_number]"></label>
  </fieldset>
  <button type="submit">Submit</button>
</form>`,
  );
}

export function renderMessagePage(title: string, message: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`);
}
