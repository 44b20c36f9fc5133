/**
 * Puts each operation's response schema into the OpenAPI document: every 2xx JSON
 * answer documented as a bare `{type: object}` gets the zod schema the console's
 * client takes its types from, so the document and the client cannot disagree.
 */
import { zodToJsonSchema } from 'zod-to-json-schema';
import type { z } from 'zod';

type Operation = { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> };

const isBare = (schema: unknown) => JSON.stringify(schema) === '{"type":"object"}';

/** Fills bare (or content-less) 2xx JSON responses from the schemas keyed 'METHOD /path/{param}'. */
export function describeResponses<P extends Record<string, unknown>>(paths: P, schemas: Record<string, z.ZodTypeAny>): P {
  const out: Record<string, unknown> = {};
  for (const [path, ops] of Object.entries(paths)) {
    const described: Record<string, unknown> = {};
    for (const [method, op] of Object.entries(ops as Record<string, Operation>)) {
      const schema = schemas[`${method.toUpperCase()} ${path}`];
      if (!schema || !op.responses) {
        described[method] = op;
        continue;
      }
      const json = zodToJsonSchema(schema, { target: 'openApi3', $refStrategy: 'none' });
      const responses = Object.fromEntries(
        Object.entries(op.responses).map(([status, response]) => {
          if (/^2/.test(status) && !response.content) return [status, { ...response, content: { 'application/json': { schema: json } } }];
          const content = response.content?.['application/json'];
          if (!/^2/.test(status) || !content || !isBare(content.schema)) return [status, response];
          return [status, { ...response, content: { ...response.content, 'application/json': { ...content, schema: json } } }];
        }),
      );
      described[method] = { ...op, responses };
    }
    out[path] = described;
  }
  return out as P;
}
