import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const PROCESS_ENV = {
  object: 'process',
  property: 'env',
  message: 'read settings through a config/ loader (src/cli/main.ts passes process.env in)',
};

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
  ['stripe', 'telemetry'],
  ['store'],
  // config/ turns (flags, environment) into settings and imports no other layer but errors.ts.
  ['config', 'domain'],
];
/** Imports allowed between folders of one layer. */
const SIDEWAYS = { library: ['cli'], cli: [] };

/** What the pure domain may not import besides upper layers: anything with I/O. */
const DOMAIN_PATTERNS = [
  {
    group: ['node:*', 'fs', 'http', 'better-sqlite3', 'pg', 'fastify', 'stripe', 'nodemailer'],
    message: 'domain/ is pure: no I/O.',
  },
  // The shared module's `/terms` is pure; its root and `/signature` use node:crypto.
  { regex: '^@idv-outcomes/stripe-identity(?!/terms$)', message: 'domain/ imports only /terms' },
];

/** One block per src/ folder: the layer rule, the package boundaries and, for the domain, purity. */
function layerRules() {
  return LAYERS.flatMap((layer, depth) =>
    layer.map((folder) => {
      const above = LAYERS.slice(0, depth).flat();
      const sameLayer = layer.filter((f) => f !== folder && !(SIDEWAYS[folder] ?? []).includes(f));
      const forbidden = [...above, ...sameLayer];
      const patterns = [...SERVICE_PATTERNS];
      if (forbidden.length > 0) {
        patterns.push({
          group: forbidden.flatMap((f) => [`../${f}/*`, `../../${f}/*`, `../../../${f}/*`]),
          message: `src/${folder}/ may not import a layer above it or beside it (docs/architecture.md).`,
        });
      }
      if (folder === 'domain') patterns.push(...DOMAIN_PATTERNS);
      return {
        files: [`src/${folder}/**/*.ts`],
        rules: { 'no-restricted-imports': ['error', { patterns }] },
      };
    }),
  );
}

/** The files that run the emulator may use it; everything else in their folder keeps the layer rule. */
function emulatorUserRules() {
  return EMULATOR_USERS.map((file) => {
    const folder = file.split('/')[1];
    const block = layerRules().find((b) => b.files[0] === `src/${folder}/**/*.ts`);
    const patterns = block.rules['no-restricted-imports'][1].patterns.filter(
      (p) => !SERVICE_PATTERNS.includes(p),
    );
    return {
      files: [file],
      rules: { 'no-restricted-imports': ['error', { patterns: [SERVICE_PATTERNS[1], ...patterns] }] },
    };
  });
}

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
  // CommonJS files (the CommonJS example) are CommonJS on purpose.
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The HTTP client runs in applications (and browsers): it imports only its own files, no layer of the
    // service and no package, so `idv-outcomes/client` pulls in nothing else.
    files: ['src/client/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [onlyFrom(['\\./'], 'src/client/ imports only its own files.')] },
      ],
    },
  },
  {
    // Files at the root of src/: errors.ts imports nothing; index.ts is the package entry.
    files: ['src/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: SERVICE_PATTERNS }] },
  },
  ...layerRules(),
  ...emulatorUserRules(),
  {
    // Small files with one purpose, functions that fit on a screen.
    files: ['src/**/*.ts', 'packages/*/src/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
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
    // Settings come from config/ loaders; only the CLI's entry point hands them the process environment.
    files: ['src/**/*.ts'],
    ignores: ['src/cli/main.ts'],
    rules: { 'no-restricted-properties': ['error', PROCESS_ENV] },
  },
  {
    // The domain is pure: no clock reads (it takes a clock).
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'domain/ takes a clock' },
        PROCESS_ENV,
      ],
    },
  },
);
