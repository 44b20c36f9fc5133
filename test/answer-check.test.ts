/** The API tests' answer check catches a route whose answer left its schema, and passes one that kept it. */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkAnswers, operationOf, type AnswerMismatch } from './support/answer-check.ts';

describe('checkAnswers', () => {
  it('records each answer that does not match its operation’s schema (as JSON: dates as strings), once, and lets additions pass', async () => {
    const app = Fastify();
    app.get('/things/:id', async (request) => ({ id: Number((request.params as { id: string }).id), total: (request.params as { id: string }).id === '2' ? '12.50' : 1250, extra: true }));
    app.get('/unchecked', async () => ({ anything: 1 }));
    app.get('/dated', async () => ({ at: new Date('2025-06-01T00:00:00Z'), gone: undefined }));
    app.get('/refused', async (_request, reply) => reply.status(404).send({ error: { code: 'NOT_FOUND' } }));
    const mismatches: AnswerMismatch[] = [];
    checkAnswers(app, mismatches, {
      'GET /things/{id}': z.object({ id: z.number().int(), total: z.number().int() }),
      'GET /refused': z.object({ never: z.string() }),
      'GET /dated': z.strictObject({ at: z.literal('2025-06-01T00:00:00.000Z') }),
    });
    for (const url of ['/things/1', '/things/2', '/things/2', '/unchecked', '/refused', '/dated']) await app.inject({ method: 'GET', url });
    expect(mismatches).toEqual([{ operation: 'GET /things/{id}', status: 200, issues: ['total: Expected number, received string'] }]);
    await app.close();
  });

  it('names operations as the OpenAPI document does', () => {
    expect(operationOf('GET', '/api/v1/monitoring/lines/:regionCode/:year')).toBe('GET /api/v1/monitoring/lines/{regionCode}/{year}');
  });
});
