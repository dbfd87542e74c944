import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const PROCESS_ENV = {
  object: 'process',
  property: 'env',
  message: 'read settings through a config/ loader (src/cli/main.ts passes process.env in)',
};

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
  {
    // Settings come from config/ loaders; only the CLI's entry point hands them the process environment.
    files: ['src/**/*.ts'],
    ignores: ['src/cli/main.ts'],
    rules: {
      'no-restricted-properties': ['error', PROCESS_ENV],
    },
  },
  {
    // config/ is the bottom layer: it turns (flags, environment) into settings and imports no other layer.
    files: ['src/config/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^\\.\\./(?!errors\\.js$)', message: 'config/ imports only itself and errors.ts' },
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
        { patterns: ['node:*', 'fs', 'http', 'better-sqlite3', 'pg', 'fastify', 'stripe', 'nodemailer'] },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'domain/ takes a clock' },
        PROCESS_ENV,
      ],
    },
  },
);
