/** The DRG paths of the OpenAPI document, from the same schemas the handlers validate with. */
import { errorResponse as err, jsonSchemaOf as json, okResponse as ok } from '../openapi-parts.ts';
import type { z } from 'zod';
import { STAFF_SECURITY } from '../openapi-security.ts';
import { groupBodySchema, payBodySchema, paymentsQuerySchema, ratesBodySchema, settlementListDoc } from './drg-schemas.ts';

const body = (schema: z.ZodTypeAny | object) => ({ required: true, content: { 'application/json': { schema: 'safeParse' in schema ? json(schema as z.ZodTypeAny) : schema } } });
const staff = STAFF_SECURITY;
const guarded = { 401: err('not signed in'), 403: err('not permitted') };
const facility = [{ apiKey: [] }];
const query = (schema: z.ZodTypeAny) =>
  Object.entries((json(schema) as { properties: Record<string, unknown>; required?: string[] }).properties).map(([name, s]) => ({
    name, in: 'query', required: ((json(schema) as { required?: string[] }).required ?? []).includes(name), schema: s,
  }));

export const drgPaths = {
  '/api/v1/drg/settlement-lists': {
    post: {
      summary: 'A settlement list (医保结算清单, interface 4101) of one discharge: checked, quality findings, grouped at once; idempotent on setl_id',
      security: facility,
      requestBody: body(settlementListDoc),
      responses: {
        201: ok('received: { id, setlId, findings[], grouping { drg, name, mdc, adrg, ccLevel, reason, steps[] } } — an unknown code is a finding and the case is in 0000 with the reason'),
        200: ok('a retry with the same content: the first result'),
        400: err('INVALID_ABSTRACT: a missing or malformed field, named'),
        401: err('missing or wrong API key'),
        409: err('IDEMPOTENCY_CONFLICT: the same setl_id with other content'),
      },
    },
  },
  '/api/v1/drg/settlement-lists/{setlId}': {
    get: {
      summary: 'A settlement list of this facility with its grouping (every rule that placed it) and its DRG payments',
      security: facility,
      parameters: [{ name: 'setlId', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { 200: ok('the discharge'), 404: err('unknown settlement list') },
    },
  },
  '/api/v1/drg/policies': { get: { summary: 'The DRG payment policies (id, name, year, group table)', security: staff, responses: { 200: ok('{ items }'), ...guarded } } },
  '/api/v1/drg/report': {
    get: {
      summary: 'The DRG report of a policy year: group coverage, CMI per hospital, cost per case and stay by level year on year, surplus per hospital, outliers',
      security: staff,
      parameters: [{ name: 'policy', in: 'query', required: true, schema: { type: 'string' } }],
      responses: { 200: ok('the report; money in fen, shares in basis points, weights and CMI in ten-thousandths'), 400: err('unknown policy'), ...guarded },
    },
  },
  '/api/v1/drg/payments': {
    get: { summary: 'DRG payments per discharge (what the monthly clearing reads)', security: staff, parameters: query(paymentsQuerySchema), responses: { 200: ok('{ total, limit, offset, items }'), ...guarded } },
    post: {
      summary: 'Pay every discharge of a month under a DRG policy (again: the month is replaced); the patient’s part never changes',
      security: staff,
      requestBody: body(payBodySchema),
      responses: { 200: ok('counts by kind and the sums, fen'), 400: err('bad month or policy'), 422: err('NO_RATES / NOT_GROUPED'), ...guarded },
    },
  },
  '/api/v1/drg/discharges/{id}': {
    get: { summary: 'One discharge with its findings, grouping explanation and payments (person number masked)', security: staff, parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }], responses: { 200: ok('the discharge'), 404: err('unknown'), ...guarded } },
  },
  '/api/v1/drg/groupings': {
    post: { summary: 'Group (again) every discharge of a period with a table (drg.manage)', security: staff, requestBody: body(groupBodySchema), responses: { 200: ok('counts, ungroupable by reason'), 400: err('bad period or table'), ...guarded } },
  },
  '/api/v1/drg/rates': {
    post: {
      summary: 'Weights from the grouped history (trimmed) and a base rate per hospital level from the budget (drg.manage)',
      security: staff,
      requestBody: body(ratesBodySchema),
      responses: { 200: ok('weights and rates'), 400: err('bad policy'), 422: err('NO_HISTORY / RATE_NOT_POSITIVE'), ...guarded },
    },
  },
};
