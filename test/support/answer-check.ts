/**
 * Checks every JSON answer an API test receives against the response schema of its
 * route (src/api/responses): a field renamed, dropped or retyped on the server fails
 * the test that saw it, not the console page that trusted the type. Unknown extra
 * fields pass (zod strips them), so an addition never breaks a test.
 */
import type { FastifyInstance } from 'fastify';
import { responseSchemas } from '../../src/api/responses/index.ts';

export interface AnswerMismatch {
  readonly operation: string;
  readonly status: number;
  readonly issues: string[];
}

type Schema = { safeParse(v: unknown): { success: boolean; error?: { issues: { path: (string | number)[]; message: string }[] } } };

/** The operation key of a request: 'GET /api/v1/console/persons/{id}'. */
export const operationOf = (method: string, routeUrl: string) => `${method} ${routeUrl.replace(/:(\w+)/g, '{$1}')}`;

/** Adds the check to an app before it is ready; each mismatch is recorded once per operation and issue. */
export function checkAnswers(app: FastifyInstance, mismatches: AnswerMismatch[], schemas: Record<string, Schema> = responseSchemas): void {
  const seen = new Set<string>();
  app.addHook('preSerialization', async (request, reply, payload: unknown) => {
    if (reply.statusCode < 200 || reply.statusCode >= 300 || !request.routeOptions.url) return payload;
    const operation = operationOf(request.method, request.routeOptions.url);
    const schema = schemas[operation];
    if (!schema) return payload;
    // What the client receives: the answer after JSON (dates as ISO strings, undefined fields gone).
    const result = schema.safeParse(JSON.parse(JSON.stringify(payload)));
    if (!result.success) {
      const issues = (result.error?.issues ?? []).slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
      const key = `${operation} ${issues.join(' ')}`;
      if (!seen.has(key)) mismatches.push({ operation, status: reply.statusCode, issues });
      seen.add(key);
    }
    return payload;
  });
}
