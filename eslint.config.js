import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers of src/, top to bottom (docs/architecture.md draws them). A folder may import its own files and
 * any folder of a lower layer, never one of a higher layer: an upward import fails lint. Folders on one line
 * are one layer and do not import each other unless listed in SIDEWAYS.
 */
const LAYERS = [
  ['cli', 'library'],
  ['main'],
  ['http', 'worker', 'demo'],
  ['admin-ui', 'outcomes'],
  ['reactions'],
  ['stripe'],
  ['store'],
  ['config'],
  ['domain'],
];
/** Imports allowed between folders of one layer. */
const SIDEWAYS = { library: ['cli'], cli: [] };

/** What the pure domain may not import besides upper layers: anything with I/O. */
const DOMAIN_IO = ['node:*', 'fs', 'http', 'better-sqlite3', 'pg', 'fastify', 'stripe', 'nodemailer'];

function layerRules() {
  return LAYERS.flatMap((layer, depth) =>
    layer.flatMap((folder) => {
      const above = LAYERS.slice(0, depth).flat();
      const sameLayer = layer.filter((f) => f !== folder && !(SIDEWAYS[folder] ?? []).includes(f));
      const forbidden = [...above, ...sameLayer];
      const patterns = [];
      if (forbidden.length > 0) {
        patterns.push({
          group: forbidden.flatMap((f) => [`../${f}/*`, `../../${f}/*`, `../../../${f}/*`]),
          message: `src/${folder}/ may not import a layer above it or beside it (docs/architecture.md).`,
        });
      }
      if (folder === 'domain') patterns.push({ group: DOMAIN_IO, message: 'domain/ is pure: no I/O.' });
      if (patterns.length === 0) return [];
      return {
        files: [`src/${folder}/**/*.ts`],
        rules: { 'no-restricted-imports': ['error', { patterns }] },
      };
    }),
  );
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        document: 'readonly',
        window: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  ...layerRules(),
  {
    // Small files with one purpose, functions that fit on a screen.
    files: ['src/**/*.ts', 'packages/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // Files at the root of src/: errors.ts is the bottom (imports nothing); index.ts is the package entry.
    files: ['src/errors.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['./*'], message: 'errors.ts imports nothing.' }] },
      ],
    },
  },
  {
    // The domain is pure: no clock reads (it takes a clock).
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'domain/ takes a clock' },
      ],
    },
  },
);
