import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The browser tests need the built web app; build it once when dist/web is missing.
    globalSetup: ['test/browser/global-setup.ts'],
    // Every app a test builds checks its JSON answers against the routes' response schemas.
    setupFiles: ['test/support/answer-check.setup.ts'],
    // Database tests share one PostgreSQL in CI; files run one at a time there.
    fileParallelism: !process.env.SANBAO_TEST_DATABASE_URL,
    // Tests own their policies: the CLI and service they start read the fixtures, never policies/.
    env: { SANBAO_POLICY_DIR: fileURLToPath(new URL('./test/fixtures/policies', import.meta.url)) },
  },
});
