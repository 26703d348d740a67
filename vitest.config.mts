import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 20_000 } },
      { test: { name: 'integration', include: ['test/integration/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } },
      { test: { name: 'browser', include: ['test/e2e/browser/**/*.test.ts'], testTimeout: 180_000, hookTimeout: 180_000, fileParallelism: false } },
      { test: { name: 'vscode', include: ['test/e2e/vscode/**/*.test.ts'], testTimeout: 600_000, hookTimeout: 1_200_000, fileParallelism: false } },
    ],
  },
});
