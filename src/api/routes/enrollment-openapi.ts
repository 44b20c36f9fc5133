/** The enrollment paths of the OpenAPI document, from the same zod schemas the handlers validate with. */
import { errorResponse as err, jsonBody as body, jsonSchemaOf as json, okResponse as ok } from '../openapi-parts.ts';
import { reportQuerySchema } from './enrollment-reports.ts';
import { batchSchema, campaignOpenSchema, paymentReversalSchema, paymentSchema, reversalSchema, rosterImportSchema } from './enrollment.ts';
import { STAFF_SECURITY } from '../openapi-security.ts';
import { receiptQuerySchema, reconcileQuerySchema, taxImportSchema } from './payment-collection.ts';

const staff = STAFF_SECURITY;
const guarded = { 401: err('not signed in'), 403: err('not permitted, or outside your division / department') };
const year = { name: 'year', in: 'path', required: true, schema: { type: 'integer' } };
const id = { name: 'id', in: 'path', required: true, schema: { type: 'integer' } };
const reportQuery = Object.entries((json(reportQuerySchema) as { properties: Record<string, unknown> }).properties).map(([name, schema]) => ({
  name, in: 'query', required: name === 'year', schema,
}));
const downloads = {
  200: {
    description: 'JSON, or with format=csv / xlsx a download',
    content: {
      'application/json': { schema: { type: 'object' } },
      'text/csv': { schema: { type: 'string' } },
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } },
    },
  },
};

export const enrollmentPaths = {
  '/api/v1/rosters': {
    post: {
      summary: 'Import an identity roster (CSV or XLSX, base64): every row checked; bad rows refuse the file (422, each row named) unless skipBadRows; re-importing changes nothing',
      security: staff,
      requestBody: body(rosterImportSchema),
      responses: { 201: ok('imported: rows, people registered, identities added / ended / unchanged'), 200: ok('already imported, or a dry run'), 400: err('bad input'), 422: err('bad rows: { error, problems: [{ row, reason }] }'), ...guarded },
    },
    get: { summary: 'The rosters imported (a liaison sees its department’s)', security: staff, responses: { 200: ok('{ rosters }'), ...guarded } },
  },
  '/api/v1/persons/{id}/identities': {
    get: { summary: 'Every identity a person has held, in force or ended by a newer roster (with which one)', security: staff, parameters: [id], responses: { 200: ok('{ personId, identities }'), 404: err('unknown person'), ...guarded } },
  },
  '/api/v1/campaigns/{year}/open': {
    post: {
      summary: 'Open (or refresh) the year’s campaign for a division: tier, contribution, the single best subsidy and its paying department, the individual part',
      security: staff,
      parameters: [year],
      requestBody: body(campaignOpenSchema),
      responses: { 200: ok('{ created, updated, kept, noPolicy, policies }'), 400: err('no policy for the year'), ...guarded },
    },
  },
  '/api/v1/campaigns/{year}': {
    get: { summary: 'Campaign progress of a division: people by status, contributions, subsidies, individual parts, paid', security: staff, parameters: [year], responses: { 200: ok('status'), ...guarded } },
  },
  '/api/v1/enrollments/{personId}/{year}/cancellation': {
    post: {
      summary: 'Take a person out of the year’s target population (died, moved, employee scheme); refused while anything is paid; audited',
      security: staff,
      parameters: [{ name: 'personId', in: 'path', required: true, schema: { type: 'integer' } }, year],
      requestBody: body(reversalSchema),
      responses: { 200: ok('{ personId, year, status }'), 404: err('no enrollment'), 409: err('already cancelled / paid'), ...guarded },
    },
  },
  '/api/v1/payments': {
    post: {
      summary: 'Record a payment of the individual part (by the person, or on behalf by a department); enrolled when paid in full',
      security: staff,
      requestBody: body(paymentSchema),
      responses: {
        201: ok('{ payment (with receipt_no), enrollment (with cover_from), cover: when this payment completes the enrollment, the day cover starts and why (in_window, waiting_period with its months, exempt), receiptUrl }'),
        409: err('already paid / receipt recorded before'),
        422: err('no enrollment / more than due (in yuan) / NO_COVER_LEFT: paid so late the waiting period runs past the year / NOT_EXEMPT'),
        ...guarded,
      },
    },
  },
  '/api/v1/payments/{id}/reversal': {
    post: {
      summary: 'Reverse a mistaken payment (audited); the enrollment may become pending again (its cover then ends). dryRun: what it would do, nothing written',
      security: staff, parameters: [id], requestBody: body(paymentReversalSchema),
      responses: { 200: ok('{ payment, enrollment } (dryRun: also before, dryRun: true)'), 404: err('unknown payment'), 409: err('already reversed'), ...guarded },
    },
  },
  '/api/v1/payment-batches': {
    post: {
      summary: 'A department pays on behalf of everyone on its roster who has not paid (one batch); run again with no one left to pay for, it answers the same batch (200, replayed)',
      security: staff, requestBody: body(batchSchema),
      responses: { 201: ok('{ batchId, persons, amount, replayed: false }'), 200: ok('{ batchId, persons, amount, replayed: true }'), 404: err('unknown roster'), 422: err('NOTHING_DUE'), ...guarded },
    },
  },
  '/api/v1/payments/{id}/receipt': {
    get: {
      summary: 'The printable receipt of a payment: a print-styled HTML page in Chinese and Tibetan, or a PDF in one of them (fonts embedded); name and ID number masked; audited',
      security: staff,
      parameters: [id, ...Object.entries((json(receiptQuerySchema) as { properties: Record<string, unknown> }).properties).map(([name, schema]) => ({ name, in: 'query', required: false, schema }))],
      responses: {
        200: { description: 'HTML page (format=html) or PDF (format=pdf, lang=zh-CN|bo)', content: { 'text/html': { schema: { type: 'string' } }, 'application/pdf': { schema: { type: 'string', format: 'binary' } } } },
        400: err('unknown format or language'), 404: err('unknown payment'), ...guarded,
      },
    },
  },
  '/api/v1/tax-collections': {
    post: {
      summary: 'Import the tax bureau’s collection file (CSV/XLSX, base64): every row checked; a voucher already imported changes nothing', security: staff,
      requestBody: body(taxImportSchema),
      responses: { 201: ok('{ importId, imported, alreadyImported, amount, years, skipped }'), 200: ok('dry run, or nothing new'), 413: err('file too large'), 422: err('bad rows, each named in problems'), ...guarded },
    },
  },
  '/api/v1/tax-collections/reconciliation': {
    get: {
      summary: 'The tax file against Sanbao’s own payments, per person: matched, only in the tax file, only in Sanbao, amount differs', security: staff,
      parameters: Object.entries((json(reconcileQuerySchema) as { properties: Record<string, unknown> }).properties).map(([name, schema]) => ({ name, in: 'query', required: name === 'year', schema })),
      responses: { 200: ok('{ year, division, counts, totals, lines }'), ...guarded },
    },
  },
  '/api/v1/persons/{id}/payments': {
    get: { summary: 'A person’s enrollment of a year and its payments', security: staff, parameters: [id, { name: 'year', in: 'query', required: true, schema: { type: 'integer' } }], responses: { 200: ok('{ enrollment, payments }'), ...guarded } },
  },
  '/api/v1/enrollment/coverage': {
    get: { summary: 'Coverage per division (target population, enrolled, rate; the same for people in difficulty); xlsx carries all three reports', security: staff, parameters: reportQuery, responses: { ...downloads, ...guarded } },
  },
  '/api/v1/enrollment/unenrolled': {
    get: { summary: 'People not yet enrolled, by village and household, for door-to-door work; masked unless unmask=true (person.unmask, audited)', security: staff, parameters: reportQuery, responses: { ...downloads, ...guarded } },
  },
  '/api/v1/enrollment/subsidies': {
    get: { summary: 'Subsidies paid on behalf, per department and identity', security: staff, parameters: reportQuery, responses: { ...downloads, ...guarded } },
  },
  '/api/v1/households/{ref}': {
    get: {
      summary: 'A household (id or code): members, identities, what each pays and is subsidised, what the household pays',
      security: staff,
      parameters: [{ name: 'ref', in: 'path', required: true, schema: { type: 'string' } }, ...reportQuery.filter((p) => p.name === 'year' || p.name === 'unmask')],
      responses: { 200: ok('{ household, members, totals }'), 404: err('unknown household'), ...guarded },
    },
  },
};
