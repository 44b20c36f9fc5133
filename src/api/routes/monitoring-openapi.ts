/** The monitoring paths of the OpenAPI document, from the same zod schemas the handlers validate with. */
import { errorResponse as err, jsonBody as body, jsonSchemaOf as json, okResponse as ok } from '../openapi-parts.ts';
import type { z } from 'zod';
import { STAFF_SECURITY } from '../openapi-security.ts';
import {
  applicationBodySchema,
  caseListQuerySchema,
  closeBodySchema,
  determinationBodySchema,
  endpointBodySchema,
  exceptionBodySchema,
  lineBodySchema,
  markDeliveredBodySchema,
  runBodySchema,
  verifyBodySchema,
} from './monitoring-schemas.ts';
import { caseDetailSchema, caseListResponseSchema } from './monitoring-responses.ts';

/** A 200 answer described by the schema the console's client takes its types from. */
const answers = (description: string, schema: z.ZodTypeAny) => ({ description, content: { 'application/json': { schema: json(schema) } } });
/** Staff routes take the session token from sign-in as a bearer token (or the httpOnly cookie). */
const staff = STAFF_SECURITY;
const id = [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }];
const guarded = { 401: err('not signed in'), 403: err('not permitted, or outside your division / department') };

const listQuery = Object.entries((json(caseListQuerySchema) as { properties: Record<string, unknown> }).properties).map(([name, schema]) => ({
  name,
  in: 'query',
  required: false,
  schema,
}));

export const monitoringPaths = {
  '/api/v1/monitoring/cases': {
    get: {
      summary: 'Monitoring cases (one per alert) with filters; personal data masked; a department liaison sees its own department’s',
      security: staff,
      parameters: listQuery,
      responses: { 200: answers('one page of cases and the total (or, with format=csv|xlsx, the whole selection as a file)', caseListResponseSchema), ...guarded },
    },
  },
  '/api/v1/monitoring/alerts': {
    get: { summary: 'The same list, by its alerts (each alert opens one case)', security: staff, parameters: listQuery, responses: { 200: answers('alerts', caseListResponseSchema), ...guarded } },
  },
  '/api/v1/monitoring/cases/{id}': {
    get: { summary: 'A case with its full history (who did what, when), its pushes and assistance applications', security: staff, parameters: id, responses: { 200: answers('the case', caseDetailSchema), 404: err('unknown case or outside your reach'), ...guarded } },
  },
  '/api/v1/monitoring/cases/{id}/assessment': {
    get: {
      summary: 'Household-income assessment: (household income − household self-pay − other deductions) ÷ members, against the monitoring line',
      security: staff,
      parameters: [...id, { name: 'otherDeductions', in: 'query', required: false, schema: { type: 'integer', minimum: 0 } }],
      responses: { 200: ok('the assessment, in fen'), 422: err('no household, income or monitoring line'), ...guarded },
    },
  },
  '/api/v1/monitoring/cases/{id}/verification': {
    post: { summary: 'pushed → verified (核实), by the bureau or a department the case was pushed to', security: staff, parameters: id, requestBody: body(verifyBodySchema), responses: { 200: answers('the case', caseDetailSchema), 409: err('INVALID_TRANSITION / CASE_CLOSED'), ...guarded } },
  },
  '/api/v1/monitoring/cases/{id}/determination': {
    post: {
      summary: 'verified → determined: the department’s determination (case.determine), scoped to its department',
      security: staff,
      parameters: id,
      requestBody: body(determinationBodySchema),
      responses: { 200: answers('the case', caseDetailSchema), 409: err('INVALID_TRANSITION / CASE_CLOSED'), 422: err('BELOW_MONITORING_LINE / NO_MONITORING_LINE / UNKNOWN_APPLICATION'), ...guarded },
    },
  },
  '/api/v1/monitoring/cases/{id}/closure': {
    post: { summary: 'determined → closed (monitoring.write)', security: staff, parameters: id, requestBody: body(closeBodySchema), responses: { 200: answers('the case', caseDetailSchema), 409: err('INVALID_TRANSITION / CASE_CLOSED'), ...guarded } },
  },
  '/api/v1/monitoring/cases/{id}/assistance-applications': {
    post: {
      summary: 'Approve and pay assistance on application (依申请救助) on the year’s uncovered compliant self-pay, within the yearly caps',
      security: staff,
      parameters: id,
      requestBody: body(applicationBodySchema),
      responses: { 201: ok('the application: base, due, paid, above the caps (fen)'), 409: err('case not verified'), 422: err('NOTHING_TO_PAY / NO_ASSISTANCE_GROUND'), ...guarded },
    },
  },
  '/api/v1/monitoring/assistance-applications/{id}/exceptions': {
    post: {
      summary: 'Case-by-case (一事一议) approval above the caps, with approver and reason, up to what the caps withheld',
      security: staff,
      parameters: id,
      requestBody: body(exceptionBodySchema),
      responses: { 201: ok('the approval'), 422: err('ABOVE_WITHHELD / NO_CASE_BY_CASE'), ...guarded },
    },
  },
  '/api/v1/monitoring/runs': {
    post: { summary: 'Run the month now (bureau admin): raise missed alerts, statistics; after the year’s first run incremental (from the year-to-date), full: true recomputes from every settlement', security: staff, requestBody: body(runBodySchema), responses: { 200: ok('the month’s statistics'), 422: err('no policy for the year'), ...guarded } },
  },
  '/api/v1/monitoring/statistics': {
    get: {
      summary: 'The month’s statistics (monitored, pushed per department, confirmed) or, without month, the runs',
      security: staff,
      parameters: [{ name: 'month', in: 'query', required: false, schema: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' } }],
      responses: { 200: ok('statistics'), 404: err('NO_RUN'), ...guarded },
    },
  },
  '/api/v1/monitoring/jobs': { get: { summary: 'The monthly-run schedule (job table) and the runs', security: staff, responses: { 200: ok('jobs and runs'), ...guarded } } },
  '/api/v1/monitoring/outbox': { get: { summary: 'Push outbox per department: pending, delivered, failing, endpoint', security: staff, responses: { 200: ok('summary'), ...guarded } } },
  '/api/v1/monitoring/outbox/{department}/list.csv': {
    get: {
      summary: 'A department’s pushes as CSV (UTF-8 with BOM), full ID numbers: its liaison or the bureau admin acting for it (403 NOT_DEPARTMENT_LIAISON / OTHER_DEPARTMENT); audited as unmasking; changes nothing. Header x-sanbao-list-up-to: the newest push in it',
      security: staff,
      parameters: [
        { name: 'department', in: 'path', required: true, schema: { type: 'string' } },
        { name: 'all', in: 'query', required: false, schema: { type: 'string', enum: ['true', 'false'] } },
      ],
      responses: { 200: { description: 'text/csv' }, ...guarded },
    },
  },
  '/api/v1/monitoring/outbox/{department}/delivered': {
    post: {
      summary: 'Marks the department’s pending pushes up to `upTo` (from a list download) delivered; their cases move raised → pushed; audited',
      security: staff,
      parameters: [{ name: 'department', in: 'path', required: true, schema: { type: 'string' } }],
      requestBody: body(markDeliveredBodySchema),
      responses: { 200: ok('{department, marked}'), 400: err('INVALID_INPUT'), ...guarded },
    },
  },
  '/api/v1/monitoring/endpoints': { get: { summary: 'Departments’ push endpoints (bureau admin; secrets never shown)', security: staff, responses: { 200: ok('endpoints'), ...guarded } } },
  '/api/v1/monitoring/endpoints/{department}': {
    put: {
      summary: 'Configure a department’s HTTPS endpoint and HMAC-SHA256 secret (bureau admin). Every address the host resolves to must be public (checked again at each delivery) unless allowPrivateNetwork; the secret is write-only',
      security: staff,
      parameters: [{ name: 'department', in: 'path', required: true, schema: { type: 'string' } }],
      requestBody: body(endpointBodySchema),
      responses: { 200: ok('saved'), 400: err('INVALID_ENDPOINT, PRIVATE_ENDPOINT or UNRESOLVABLE_ENDPOINT'), ...guarded },
    },
  },
  '/api/v1/monitoring/lines': { get: { summary: 'Monitoring lines (防返贫监测线) per region and year, fen per head', security: staff, responses: { 200: ok('lines'), ...guarded } } },
  '/api/v1/monitoring/lines/{regionCode}/{year}': {
    put: {
      summary: 'Set the monitoring line of a region and year (bureau admin)',
      security: staff,
      parameters: [
        { name: 'regionCode', in: 'path', required: true, schema: { type: 'string' } },
        { name: 'year', in: 'path', required: true, schema: { type: 'integer' } },
      ],
      requestBody: body(lineBodySchema),
      responses: { 200: ok('saved'), ...guarded },
    },
  },
};
