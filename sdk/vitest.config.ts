import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The SDK's unit tests alone (`npm test -w @memory-context/sdk`); the root config runs them with everything else
// once it includes sdk/src/**/*.test.ts.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
