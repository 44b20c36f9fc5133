/**
 * The OpenAPI document describes every answer: no documented 2xx JSON response is a
 * bare {type: object}, and each comes from the zod schema the web client takes its
 * types from (src/api/responses).
 */
import { describe, expect, it } from 'vitest';
import { zodToJsonSchema } from 'zod-to-json-schema';
import { openApiDocument } from '../src/api/openapi.ts';
import { describeResponses } from '../src/api/responses/describe.ts';
import { responseSchemas } from '../src/api/responses/index.ts';

type Responses = Record<string, { content?: Record<string, { schema?: unknown }> }>;
const doc = openApiDocument() as unknown as { paths: Record<string, Record<string, { responses?: Responses }>> };

function jsonAnswers(paths: typeof doc.paths) {
  return Object.entries(paths).flatMap(([path, ops]) =>
    Object.entries(ops).flatMap(([method, op]) =>
      Object.entries(op.responses ?? {})
        .filter(([status, r]) => /^2/.test(status) && r.content?.['application/json'])
        .map(([status, r]) => ({ operation: `${method.toUpperCase()} ${path}`, status, schema: r.content!['application/json']!.schema })),
    ),
  );
}

describe('the OpenAPI document’s responses', () => {
  it('describes every 2xx JSON answer by a schema, never a bare {type: object}', () => {
    const answers = jsonAnswers(doc.paths);
    expect(answers.length).toBeGreaterThan(100);
    const bare = answers.filter((a) => JSON.stringify(a.schema) === '{"type":"object"}').map((a) => `${a.operation} ${a.status}`);
    expect(bare).toEqual([]);
  });

  it('takes each described answer from the schema keyed by its operation', () => {
    const answers = jsonAnswers(doc.paths).filter((a) => a.operation in responseSchemas);
    expect(answers.length).toBeGreaterThan(20);
    for (const a of answers) {
      const schema = responseSchemas[a.operation as keyof typeof responseSchemas];
      expect(a.schema, a.operation).toEqual(zodToJsonSchema(schema, { target: 'openApi3', $refStrategy: 'none' }));
    }
  });

  it('fills only bare 2xx JSON answers and leaves errors and hand-described answers alone', () => {
    const bare = { description: 'x', content: { 'application/json': { schema: { type: 'object' } } } };
    const own = { description: 'own', content: { 'application/json': { schema: { type: 'object', properties: { a: { type: 'string' } } } } } };
    const error = { description: 'e', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    const file = { description: 'a CSV file' };
    const out = describeResponses(
      { '/api/v1/staff/setup': { get: { responses: { 200: bare, 201: own, 202: { description: 'none' }, 400: error } } }, '/a.csv': { get: { responses: { 200: file } } } },
      responseSchemas,
    ) as unknown as typeof doc.paths;
    const responses = out['/api/v1/staff/setup']!.get!.responses!;
    expect(responses['200']!.content!['application/json']!.schema).toMatchObject({ type: 'object', properties: { needed: { type: 'boolean' } } });
    expect(responses['202']!.content!['application/json']!.schema).toEqual(responses['200']!.content!['application/json']!.schema);
    expect(responses['201']).toEqual(own);
    expect(responses['400']).toEqual(error);
    expect(out['/a.csv']!.get!.responses!['200']).toEqual(file);
  });

  it('keys every response schema by an operation the service has, in the document’s spelling', () => {
    for (const key of Object.keys(responseSchemas)) expect(key).toMatch(/^(GET|POST|PUT|PATCH|DELETE) \/[\w\-./{}]+$/);
  });
});
