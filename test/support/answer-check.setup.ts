/**
 * Vitest setup (every test file): each app a test builds checks its JSON answers against
 * the routes' response schemas, and the file fails at the end naming every mismatch.
 */
import { afterAll, expect, vi } from 'vitest';
import type { AnswerMismatch } from './answer-check.ts';

const mismatches = vi.hoisted(() => [] as AnswerMismatch[]);

vi.mock('../../src/api/app.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/api/app.ts')>();
  const { checkAnswers } = await import('./answer-check.ts');
  return {
    ...original,
    buildApp: async (deps: Parameters<typeof original.buildApp>[0]) => {
      const app = await original.buildApp(deps);
      checkAnswers(app, mismatches);
      return app;
    },
  };
});

afterAll(() => {
  expect(mismatches, 'API answers that do not match their response schema (src/api/responses)').toEqual([]);
});
