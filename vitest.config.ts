import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/unit/**/*.test.ts',
      'test/integration/**/*.test.ts',
      'test/container/**/*.test.ts',
      'test/browser/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // 2 cores: integration files each start a server; keep parallelism modest.
    maxWorkers: 2,
  },
});
