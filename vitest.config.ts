import { defineConfig } from 'vitest/config';

// In this repository @memory-context/sdk resolves to its TypeScript sources (no build step); the installed package
// resolves to dist/. Setting conditions replaces Vitest's server defaults, so they are listed too.
const SOURCE_CONDITIONS = ['@memory-context/source', 'node', 'development|production'];

export default defineConfig({
  ssr: { resolve: { conditions: SOURCE_CONDITIONS } },
  test: {
    include: ['libs/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'sdk/src/**/*.test.ts', 'e2e/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    env: { APOLLO_TELEMETRY_DISABLED: '1', MEMCTX_LOG_LEVEL: 'silent' },
  },
});
