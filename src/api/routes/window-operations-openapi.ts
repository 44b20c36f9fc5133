/** The window's undo operations in the OpenAPI document, request and response from the route's own zod schemas. */
import { zodToJsonSchema } from 'zod-to-json-schema';
import type { z } from 'zod';
import { STAFF_SECURITY } from '../openapi-security.ts';
import { filingCancellationResponse, windowReversalResponse, windowUndoSchema } from './window-operations.ts';

const json = (schema: z.ZodTypeAny) => zodToJsonSchema(schema, { target: 'openApi3', $refStrategy: 'none' });
const answer = (description: string, schema: z.ZodTypeAny) => ({ description, content: { 'application/json': { schema: json(schema) } } });
const err = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
const path = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'integer' } });
const guarded = { 400: err('a reason of 2 to 300 characters is required'), 401: err('not signed in'), 403: err('not permitted, or outside your division') };
const undo = { required: true, content: { 'application/json': { schema: json(windowUndoSchema) } } };

export const windowOperationPaths = {
  '/api/v1/console/settlements/{id}/reversal': {
    post: {
      summary:
        'Reverse a hospital’s settlement at the bureau’s window (settlement.reverse, with a reason; audited): the funds get back what they paid, the person’s later bills ' +
        'of the year are settled again, the personal account is credited back. dryRun: what it would do, nothing written. A retry changes nothing.',
      security: STAFF_SECURITY, parameters: [path('id')], requestBody: undo,
      responses: {
        200: answer('what the reversal gives back (or would)', windowReversalResponse), 404: err('unknown settlement'),
        409: err('reversed before by the hospital (ALREADY_REVERSED), or its year is closed (YEAR_CLOSED)'), ...guarded,
      },
    },
  },
  '/api/v1/console/persons/{id}/filings/{filingId}/cancellation': {
    post: {
      summary: 'Cancel an out-of-area filing at the window (filing.write, with a reason; audited). dryRun: what it would do, nothing written',
      security: STAFF_SECURITY, parameters: [path('id'), path('filingId')], requestBody: undo,
      responses: {
        200: answer('the filing, cancelled (or as it stands, on a dry run)', filingCancellationResponse), 404: err('no such filing of this person'),
        409: err('already cancelled (FILING_ALREADY_CANCELLED), or bills were settled under it (FILING_USED)'), ...guarded,
      },
    },
  },
};
