import { defineConfig } from 'vitest/config';

// One embedded PostgreSQL server for the whole run (test/global-setup.ts); every integration test
// file creates its own fresh database on it, so files run in parallel and in any order.
export default defineConfig({
  test: {
    globalSetup: ['./test/global-setup.ts'],
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/generated/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
