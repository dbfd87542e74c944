/**
 * Builds the operator console into dist/console (part of `npm run build`): one script bundle and one
 * stylesheet, from this folder and npm packages only, so the console works offline and its
 * Content-Security-Policy can forbid inline code and every other origin.
 */
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
await build({
  entryPoints: { console: join(here, 'src/main.ts'), 'console-style': join(here, 'src/console.css') },
  outdir: join(here, '../dist/console'),
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
});
