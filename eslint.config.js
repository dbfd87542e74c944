import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/*
 * Import boundaries between the service and the workspace packages (packages/emulator/README.md, "Packaging").
 * The rule option is replaced, not merged, when two blocks match one file, so each block lists every pattern
 * that applies to its files.
 */

/** Only specifiers matching one of `allowed` (regex sources anchored at the start) may be imported. */
const onlyFrom = (allowed, message) => ({ regex: `^(?!(?:${allowed.join('|')}))`, message });

/** Relative imports that stay in the file's folder or climb at most `depth` folders. */
const within = (depth) => (depth === 0 ? '\\./' : `\\./|(?:\\.\\./){1,${depth}}(?!\\.\\./)`);

const SHARED = '@idv-outcomes/stripe-identity(?:/|$)';
const EMULATOR_SOURCE_DEPTHS = [0, 1, 2];

// The service reaches the emulator and the demo's mail libraries only from the commands and the composition
// root that run them (see the block for those files below).
const SERVICE_PATTERNS = [
  {
    group: ['@idv-outcomes/emulator', '@idv-outcomes/emulator/*', 'smtp-server', 'mailparser'],
    message:
      'only cli/commands/{demo,emulator,trigger}.ts and main/demo.ts use the emulator and the mail sink',
  },
  {
    regex: '(?:^|/)packages/',
    message: 'import a workspace package by its name, not by a path into packages/',
  },
];
const EMULATOR_USERS = [
  'src/cli/commands/demo.ts',
  'src/cli/commands/emulator.ts',
  'src/cli/commands/trigger.ts',
  'src/main/demo.ts',
];

export default tseslint.config(
  { ignores: ['dist/', 'packages/*/dist/', 'node_modules/', 'data/', 'coverage/', 'bench/results/'] },
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
  {
    files: ['src/**/*.ts'],
    ignores: EMULATOR_USERS,
    rules: { 'no-restricted-imports': ['error', { patterns: SERVICE_PATTERNS }] },
  },
  {
    // The shared module imports nothing but its own files and node:crypto (for the signature's HMAC).
    files: ['packages/stripe-identity/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            onlyFrom([within(0), 'node:crypto$'], 'packages/stripe-identity imports only node:crypto'),
          ],
        },
      ],
    },
  },
  // The emulator imports nothing from the service: its source stays in packages/emulator/src and uses only
  // Node, the shared module and the mail sink's two libraries; its tests may also use src/ and stripe-node.
  ...EMULATOR_SOURCE_DEPTHS.map((depth) => ({
    files: [`packages/emulator/src/${'*/'.repeat(depth)}*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            onlyFrom(
              [within(depth), 'node:', SHARED, 'smtp-server$', 'mailparser$'],
              'packages/emulator/src imports only its own files, node:*, @idv-outcomes/stripe-identity and the mail libraries',
            ),
          ],
        },
      ],
    },
  })),
  {
    files: ['packages/emulator/test/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            onlyFrom(
              [within(0), '\\.\\./src/', 'node:', SHARED, 'stripe$', 'vitest$', 'playwright-core$'],
              'packages/emulator/test imports only the emulator, node:*, stripe-node and the test tools',
            ),
          ],
        },
      ],
    },
  },
  {
    // The domain is pure: no I/O modules, no clock reads (it takes a clock).
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'http', 'better-sqlite3', 'pg', 'fastify', 'stripe', 'nodemailer'] },
            // The shared module's `/terms` is pure; its root and `/signature` use node:crypto.
            { regex: '^@idv-outcomes/stripe-identity(?!/terms$)', message: 'domain/ imports only /terms' },
            ...SERVICE_PATTERNS,
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'domain/ takes a clock' },
      ],
    },
  },
);
