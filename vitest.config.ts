import { defineConfig } from 'vitest/config';

// The workspace packages export their TypeScript sources under `idv-source` (see tsconfig.json), so tests run
// what is in packages/*/src, not a possibly stale packages/*/dist. The rest is Vite's default server list.
const SOURCE_CONDITIONS = ['idv-source', 'module', 'node', 'development|production'];

export default defineConfig({
  ssr: { resolve: { conditions: SOURCE_CONDITIONS } },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Test files start real servers and databases; two cores run two files at a time well.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
