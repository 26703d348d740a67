import { defineConfig } from 'vitest/config';

// expect.poll waits for a condition; its 1 s default deadline is too short for a child process on a busy machine.
const expect = { poll: { timeout: 15_000 } };

export default defineConfig({
  test: {
    // Bundles the regex worker thread (src/core/python/regex_worker.ts) for the tests that run the sources.
    globalSetup: ['test/support/regex_worker_setup.ts'],
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 20_000, expect } },
      { test: { name: 'integration', include: ['test/integration/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000, expect } },
      { test: { name: 'browser', include: ['test/e2e/browser/**/*.test.ts'], testTimeout: 180_000, hookTimeout: 180_000, fileParallelism: false } },
      { test: { name: 'vscode', include: ['test/e2e/vscode/**/*.test.ts'], testTimeout: 600_000, hookTimeout: 1_200_000, fileParallelism: false } },
    ],
  },
});
