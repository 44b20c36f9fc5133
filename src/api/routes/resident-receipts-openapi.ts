/** A resident's own receipts in the OpenAPI document, from the route's zod schemas. */
import { zodToJsonSchema } from 'zod-to-json-schema';
import { z } from 'zod';
import { residentPaymentsQuery, residentReceiptQuery } from './resident-receipts.ts';
import { residentPaymentsResponse } from '../responses/window.ts';

const json = (schema: z.ZodTypeAny) => zodToJsonSchema(schema, { target: 'openApi3', $refStrategy: 'none' });
const query = (schema: z.ZodObject<z.ZodRawShape>) =>
  Object.entries((json(schema) as { properties: Record<string, unknown>; required?: string[] }).properties).map(([name, s]) => ({
    name, in: 'query', required: (json(schema) as { required?: string[] }).required?.includes(name) ?? false, schema: s,
  }));
const err = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
const security = [{ residentCookie: [] }];

export { residentPaymentsResponse };

export const residentReceiptPaths = {
  '/api/v1/me/payments': {
    get: {
      summary: 'My payments of a year, each with its receipt number (amounts in fen)', security, parameters: query(residentPaymentsQuery),
      responses: { 200: { description: 'the payments', content: { 'application/json': { schema: json(residentPaymentsResponse) } } }, 401: err('not signed in as a resident') },
    },
  },
  '/api/v1/me/payments/{id}/receipt': {
    get: {
      summary: 'The receipt of one of my payments as a PDF, in Chinese or Tibetan (name and ID number masked; audited)', security,
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }, ...query(residentReceiptQuery)],
      responses: {
        200: { description: 'PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } },
        401: err('not signed in as a resident'), 404: err('no such payment of mine'),
      },
    },
  },
};
