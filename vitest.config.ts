import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file owns its schema and queue prefix, so files may run in parallel.
    pool: 'forks',
    // The database for the run: DATABASE_URL, else an embedded PostgreSQL started once.
    globalSetup: ['test/support/global-setup.ts'],
    reporters: ['default'],
  },
});
