/**
 * What every route file's OpenAPI paths are made of: a zod schema as the JSON
 * Schema the handler validates with, a JSON request body, a JSON answer, and the
 * shared error answer ({error: {code, message, field}}).
 */
import type { z } from 'zod';
import { zodToJsonSchema } from 'zod-to-json-schema';

export const jsonSchemaOf = (schema: z.ZodTypeAny) => zodToJsonSchema(schema, { target: 'openApi3', $refStrategy: 'none' });

export const jsonBody = (schema: z.ZodTypeAny) => ({ required: true, content: { 'application/json': { schema: jsonSchemaOf(schema) } } });

export const okResponse = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });

export const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
