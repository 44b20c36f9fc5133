import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Database tests share one PostgreSQL in CI; files run one at a time there.
    fileParallelism: !process.env.SANBAO_TEST_DATABASE_URL,
  },
});
