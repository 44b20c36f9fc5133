/** The OpenAPI paths of catalogues, chronic diseases and claim review, from the same zod schemas the handlers validate with. */
import { errorResponse as err, jsonBody as body, jsonSchemaOf, okResponse as ok } from '../openapi-parts.ts';
import type { z } from 'zod';
import { STAFF_SECURITY } from '../openapi-security.ts';
import { itemQuery } from './catalogue.ts';
import {
  applicationListQuery, approvalListQuery, decisionSchema, diseaseQuery, documentSchema, hospitalApplicationSchema, renewalSchema, revocationSchema,
  staffApplicationSchema,
} from './chronic-schemas.ts';
import { batchBody, decisionBody, explanationBody, flagListQuery, periodQuery, ruleBody } from './review.ts';

const json = (schema: z.ZodTypeAny) => jsonSchemaOf(schema) as { properties?: Record<string, unknown>; required?: string[] };
const query = (schema: z.ZodTypeAny) => {
  const s = json(schema);
  return Object.entries(s.properties ?? {}).map(([name, p]) => ({ name, in: 'query', required: (s.required ?? []).includes(name), schema: p }));
};
const id = [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }];
const staff = STAFF_SECURITY;
const key = [{ apiKey: [] }];
const guarded = { 401: err('not signed in'), 403: err('not permitted, or outside your division') };

export const cataloguePaths = {
  '/api/v1/catalogue/items': {
    get: { summary: 'The item catalogue in force (drugs, service items, consumables): class, self-pay-first share, price ceiling, restrictions', security: staff, parameters: query(itemQuery), responses: { 200: ok('{ date, items }'), ...guarded } },
  },
  '/api/v1/console/settlements/{id}/bill': {
    get: { summary: 'A settlement’s fee lines as the bureau priced them (verification itemised | unverified) and its review flags', security: staff, parameters: id, responses: { 200: ok('{ verification, lines, flags }'), ...guarded } },
  },
  '/api/v1/chronic/diseases': {
    get: { summary: 'Chronic and special (and rare) diseases: of a region, or open to a person on a date', security: staff, parameters: query(diseaseQuery), responses: { 200: ok('{ items }'), ...guarded } },
  },
  '/api/v1/chronic/applications': {
    get: { summary: 'Chronic-disease applications in your division', security: staff, parameters: query(applicationListQuery), responses: { 200: ok('{ items }'), ...guarded } },
    post: {
      summary: 'Apply for a chronic disease at a station or the window, with document metadata (audited)', security: staff, requestBody: body(staffApplicationSchema),
      responses: { 201: ok('the application'), 400: err('bad input'), 409: err('already applied or approved'), 422: err('UNKNOWN_DISEASE, DIAGNOSIS_NOT_OF_DISEASE'), ...guarded },
    },
  },
  '/api/v1/chronic/applications/{id}/documents': {
    post: { summary: 'Add a document (metadata: kind, file name, size, SHA-256) to an application under review', security: staff, parameters: id, requestBody: body(documentSchema), responses: { 201: ok('the application'), 409: err('already decided'), ...guarded } },
  },
  '/api/v1/chronic/applications/{id}/decision': {
    post: { summary: 'Approve with a validity period (a document needed) or reject with a reason (audited)', security: staff, parameters: id, requestBody: body(decisionSchema), responses: { 200: ok('{ application, approval }'), 409: err('already decided'), 422: err('DOCUMENTS_REQUIRED'), ...guarded } },
  },
  '/api/v1/chronic/approvals': {
    get: { summary: 'Chronic-disease approvals in your division', security: staff, parameters: query(approvalListQuery), responses: { 200: ok('{ items }'), ...guarded } },
  },
  '/api/v1/chronic/approvals/{id}/renewal': {
    post: { summary: 'Renew: a new approval from the day after the current one ends (audited)', security: staff, parameters: id, requestBody: body(renewalSchema), responses: { 201: ok('the new approval'), 409: err('revoked or already renewed'), ...guarded } },
  },
  '/api/v1/chronic/approvals/{id}/revocation': {
    post: { summary: 'Revoke an approval (audited); chronic visits no longer settle against it', security: staff, parameters: id, requestBody: body(revocationSchema), responses: { 200: ok('the approval'), 409: err('already revoked'), ...guarded } },
  },
  '/api/v1/chronic-applications': {
    post: {
      summary: 'A hospital applies for its patient’s chronic disease, with the diagnosis certificate’s metadata', security: key, requestBody: body(hospitalApplicationSchema),
      responses: { 201: ok('the application'), 400: err('bad input'), 404: err('unknown person'), 409: err('already applied'), 422: err('UNKNOWN_DISEASE, DIAGNOSIS_NOT_OF_DISEASE') },
    },
  },
  '/api/v1/review/flags': {
    get: { summary: 'Claim-review flags (智能审核) in your division', security: staff, parameters: query(flagListQuery), responses: { 200: ok('{ items }'), ...guarded } },
  },
  '/api/v1/review/flags/{id}/decision': {
    post: {
      summary: 'Accept, deduct (fen, at most what the funds paid; for the hospital’s clearing) or send back for explanation (audited)', security: staff, parameters: id, requestBody: body(decisionBody),
      responses: { 200: ok('the flag'), 400: err('bad input'), 409: err('INVALID_TRANSITION'), 422: err('DEDUCTION_TOO_LARGE'), ...guarded },
    },
  },
  '/api/v1/review/stats': {
    get: { summary: 'Flags per hospital and rule: count, open, amount in question, deducted', security: staff, parameters: query(periodQuery.partial()), responses: { 200: ok('{ items }'), ...guarded } },
  },
  '/api/v1/review/clearing': {
    get: { summary: 'Deductions per hospital for its clearing over a period', security: staff, parameters: query(periodQuery), responses: { 200: ok('{ from, to, items }'), ...guarded } },
  },
  '/api/v1/review/rules': {
    get: { summary: 'The review rules in force and their parameters', security: staff, responses: { 200: ok('{ items }'), ...guarded } },
  },
  '/api/v1/review/rules/{id}': {
    put: { summary: 'Switch a rule on or off and set its parameters (audited)', security: staff, parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], requestBody: body(ruleBody), responses: { 200: ok('the rule'), 400: err('bad parameters'), 404: err('unknown rule'), ...guarded } },
  },
  '/api/v1/review/runs': {
    post: { summary: 'Batch review of the settlements admitted in a period (new flags only)', security: staff, requestBody: body(batchBody), responses: { 200: ok('{ runId, settlements, lines, flagsNew, byRule }'), ...guarded } },
  },
  '/api/v1/review-flags': {
    get: { summary: 'A hospital’s flags (e.g. those sent back for its explanation)', security: key, parameters: query(flagListQuery.omit({ facilityId: true })), responses: { 200: ok('{ items }') } },
  },
  '/api/v1/review-flags/{id}/explanation': {
    post: { summary: 'A hospital explains a flag sent back to it (audited)', security: key, parameters: id, requestBody: body(explanationBody), responses: { 200: ok('the flag'), 404: err('no such flag for this facility'), 409: err('not sent back') } },
  },
};
