/** The fund's paths of the OpenAPI document (issue 14), from the schemas the handlers validate with. */
import { zodToJsonSchema } from 'zod-to-json-schema';
import type { z } from 'zod';
import { STAFF_SECURITY } from '../openapi-security.ts';
import { followUpBody, reconcileBody, reconciliationListQuery, statementQuery } from './reconciliation.ts';

const json = (schema: z.ZodTypeAny) => zodToJsonSchema(schema, { target: 'openApi3', $refStrategy: 'none' });
const body = (schema: z.ZodTypeAny) => ({ required: true, content: { 'application/json': { schema: json(schema) } } });
const ok = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const err = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
const staff = STAFF_SECURITY;
const guarded = { 401: err('not signed in'), 403: err('not permitted') };
const facility = [{ apiKey: [] }];
const query = (schema: z.ZodTypeAny) => {
  const s = json(schema) as { properties: Record<string, unknown>; required?: string[] };
  return Object.entries(s.properties).map(([name, p]) => ({ name, in: 'query', required: (s.required ?? []).includes(name), schema: p }));
};
const idPath = [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }];

export const fundPaths: Record<string, unknown> = {
  '/api/v1/reconciliations': {
    post: {
      summary: 'Reconcile (对账): the hospital’s totals of a day or month per insutype and clr_type (3201 fields, fen), optionally its settlement details (3202); idempotent on requestId',
      security: facility,
      requestBody: body(reconcileBody),
      responses: {
        201: ok('{ id, status: matched|open, lines[{ insutype, clr_type, bureau, hospital, difference, matched }], differences[] } — on a mismatch without details, the bureau’s own lines'),
        200: ok('a retry with the same figures: the first result'),
        400: err('INVALID_FEN (an amount that is not a whole number of fen, field named), INVALID_PERIOD, INVALID_TOTALS'),
        401: err('missing or wrong API key'),
        409: err('IDEMPOTENCY_CONFLICT: the same requestId with other figures'),
      },
    },
  },
  '/api/v1/reconciliations/statement': {
    get: { summary: 'The bureau’s side for a period: 3201 totals and 3202 details (reversals negated, refd_setl_flag "1")', security: facility, parameters: query(statementQuery), responses: { 200: ok('{ facility, from, to, totals[], details[] }'), 400: err('bad period'), 401: err('missing or wrong API key') } },
  },
  '/api/v1/reconciliations/{id}': {
    get: { summary: 'One of this facility’s reconciliations', security: facility, parameters: idPath, responses: { 200: ok('the reconciliation'), 404: err('not this facility’s') } },
  },
  '/api/v1/fund/reconciliations': {
    get: { summary: 'Reconciliations in the staff member’s area, newest first (filter by status, facility)', security: staff, parameters: query(reconciliationListQuery), responses: { 200: ok('{ items }'), ...guarded } },
  },
  '/api/v1/fund/reconciliations/{id}/follow-up': {
    post: {
      summary: 'Follow a mismatch: open → explained → resolved, with a note; audited',
      security: staff, parameters: idPath, requestBody: body(followUpBody),
      responses: { 200: ok('the reconciliation'), 400: err('no note'), 404: err('unknown'), 409: err('INVALID_TRANSITION'), ...guarded },
    },
  },
};
