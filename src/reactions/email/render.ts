/**
 * A deliberately tiny template language for email texts, so operators can override them with plain files:
 *
 *   {{name}}                 the value (HTML-escaped in .html templates)
 *   {{#name}}…{{/name}}      the block only when the value is not empty
 *   {{^name}}…{{/name}}      the block only when the value is empty
 *
 * Unknown names render as empty. Blocks do not nest under the same name. No code runs in a template.
 */
export type TemplateValues = Readonly<Record<string, string | number | null | undefined>>;

const SECTION = /\{\{([#^])\s*([a-z_][a-z0-9_]*)\s*\}\}([\s\S]*?)\{\{\/\s*\2\s*\}\}/gi;
const VARIABLE = /\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/gi;

export function renderTemplate(template: string, values: TemplateValues, mode: 'text' | 'html'): string {
  const text = (name: string) => {
    const value = values[name];
    return value === null || value === undefined ? '' : String(value);
  };
  let previous: string;
  let out = template;
  // Repeat so that differently named sections may nest.
  do {
    previous = out;
    out = out.replace(SECTION, (_all, sign: string, name: string, body: string) =>
      (text(name) !== '') === (sign === '#') ? body : '',
    );
  } while (out !== previous);
  return out.replace(VARIABLE, (_all, name: string) =>
    mode === 'html' ? escapeHtml(text(name)) : text(name),
  );
}

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
