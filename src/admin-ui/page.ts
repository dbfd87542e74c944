/**
 * The operator console's shell and its built assets. `npm run build` bundles console/ into dist/console
 * (console/build.mjs); the shell only loads that script and stylesheet from 'self', so the console needs no
 * network beyond idv and its Content-Security-Policy can forbid inline code, eval and other origins.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CONSOLE_SHELL = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>idv-outcomes console</title>
<link rel="icon" href="/admin/assets/favicon.svg">
<link rel="stylesheet" href="/admin/assets/console-style.css">
<script type="module" src="/admin/assets/console.js"></script>
</head>
<body>
<div id="app"><noscript>The console needs JavaScript.</noscript></div>
</body>
</html>
`;

/** What the console may load: itself, nothing inline, no eval, no frames, no other origin. */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export interface ConsoleAsset {
  body: Buffer;
  type: string;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

const FAVICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1f2937"/>' +
  '<path d="M4 8.5l2.5 2.5L12 5" stroke="#93b4ff" stroke-width="2" fill="none"/></svg>';

/** dist/console beside the compiled service, or the repository's dist/ when running from src/ (tests). */
function assetsDir(): string | undefined {
  for (const candidate of ['../console/', '../../dist/console/']) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(`${dir}console.js`)) return dir;
  }
  return undefined;
}

/** The built files by name, read once; empty when the console was not built. */
export function loadConsoleAssets(): Map<string, ConsoleAsset> {
  const dir = assetsDir();
  const assets = new Map<string, ConsoleAsset>();
  if (dir === undefined) return assets;
  // Without an icon the browser asks for /favicon.ico and reports the 404 as an error.
  assets.set('favicon.svg', { body: Buffer.from(FAVICON), type: 'image/svg+xml' });
  for (const name of ['console.js', 'console.js.map', 'console-style.css', 'console-style.css.map']) {
    const type = TYPES[name.slice(name.lastIndexOf('.'))];
    if (type && existsSync(dir + name)) assets.set(name, { body: readFileSync(dir + name), type });
  }
  return assets;
}
