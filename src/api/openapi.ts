/** The OpenAPI 3 document, built from the same zod schemas the handlers validate with. */
import { zodToJsonSchema } from 'zod-to-json-schema';
import { accountPaths } from './routes/accounts-openapi.ts';
import type { z } from 'zod';
import { quoteSchema } from '../domain/engine/quote-schema.ts';
import { identifyBodySchema, preSettleBodySchema, reverseBodySchema,
  correctBodySchema, settleBodySchema } from './schemas.ts';
import { enrollmentPaths } from './routes/enrollment-openapi.ts';
import { monitoringPaths } from './routes/monitoring-openapi.ts';
import { consolePaths } from './routes/console-openapi.ts';
import { withRegisterOperations } from './routes/register-openapi.ts';
import { staffAdminPaths } from './routes/staff-admin-openapi.ts';
import { yearPaths } from './routes/years-openapi.ts';
import { drgPaths } from './routes/drg-openapi.ts';
import { cataloguePaths } from './routes/catalogue-openapi.ts';
import { fsiPaths } from './fsi/openapi.ts';
import { fundPaths } from './routes/fund-openapi.ts';
import { describeResponses } from './responses/describe.ts';
import { responseSchemas } from './responses/index.ts';
import { windowOperationPaths } from './routes/window-operations-openapi.ts';
import { residentReceiptPaths } from './routes/resident-receipts-openapi.ts';

const json = (schema: z.ZodTypeAny) => zodToJsonSchema(schema, { target: 'openApi3', $refStrategy: 'none' });

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const body = (schema: z.ZodTypeAny) => ({ required: true, content: { 'application/json': { schema: json(schema) } } });
const ok = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const secured = [{ apiKey: [] }];

export function openApiDocument(extraPaths: Record<string, unknown> = {}) {
  return {
    openapi: '3.0.3',
    info: {
      title: 'Sanbao (三保) API',
      version: '1.0.0',
      description:
        'Settlement for hospital systems (identify, pre-settle, settle, reverse) and trial calculation. ' +
        'All amounts are integer fen (分). Errors: {"error": {"code", "message", "field"}} with a 4xx status; nothing is written. ' +
          'The same settlement in FHIR R4 at /fhir/r4 (CapabilityStatement at /fhir/r4/metadata; see docs/fhir.md).',
    },
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'hospital systems: the per-facility API key (sb_…)' },
        staffSession: { type: 'http', scheme: 'bearer', description: 'staff: the token from POST /api/v1/staff/login' },
        staffCookie: { type: 'apiKey', in: 'cookie', name: 'sanbao_staff', description: 'staff: the session cookie set at sign-in' },
        residentCookie: { type: 'apiKey', in: 'cookie', name: 'sanbao_resident', description: 'residents: the session cookie set at sign-in with a one-time code' },
      },
      schemas: {
        Error: {
          type: 'object',
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message', 'field'],
              properties: {
                code: { type: 'string' },
                message: { type: 'string' },
                field: { type: 'string', nullable: true, description: 'the part of the request at fault (a body field, authorization, body, content-type, path); null only for a 500 or 503' },
              },
            },
          },
        },
      },
    },
    // Each 2xx answer described by the schema the web client takes its types from.
    paths: describeResponses({
      '/healthz': { get: { summary: 'Health: answers when the database is reachable', responses: { 200: ok('healthy'), 503: ok('database unreachable') } } },
      '/api/v1/policies': { get: { summary: 'The policies loaded (one per region and year)', responses: { 200: ok('policies') } } },
      '/api/v1/quote': {
        post: {
          summary: 'Trial calculation (试算, SPEC §5): settles a described bill, writes nothing',
          requestBody: body(quoteSchema),
          responses: { 200: ok('the settlement with its steps'), 400: errorResponse('bad input'), 404: errorResponse('unknown policy') },
        },
      },
      '/api/v1/identify': {
        post: {
          summary: 'Identify a patient by ID number or electronic-certificate QR token; audited with the facility and the purpose, limited per facility. Without year: the current year in Beijing time (Asia/Shanghai)',
          security: secured,
          requestBody: body(identifyBodySchema),
          responses: {
            200: ok('the patient, masked (no birth date), with enrollment and identities'),
            404: errorResponse('unknown person'),
            429: errorResponse('IDENTIFY_RATE_LIMITED: too many look-ups from this facility; see Retry-After'),
          },
        },
      },
      '/api/v1/pre-settlements': {
        post: {
          summary: 'Pre-settle: the settlement with the patient’s real year-to-date; writes nothing',
          security: secured,
          requestBody: body(preSettleBodySchema),
          responses: { 200: ok('the settlement'), 400: errorResponse('bad input'), 404: errorResponse('unknown person'), 422: errorResponse('not enrolled / no policy') },
        },
      },
      '/api/v1/settlements': {
        post: {
          summary: 'Settle a bill; idempotent on transactionId (a retry returns the first result with 200)',
          security: secured,
          requestBody: body(settleBodySchema),
          responses: {
            201: ok('settled: funds, selfPay, verification, lines, and steps — the funds’ steps, then the bill’s (fund "bill": rule bill.itemised with lineCount and groups of fee lines — code, name, class, quantity × unitPrice, aboveCap/excluded/selfPayFirst/compliant, unmet restrictions — or bill.unverified)'),
            200: ok('a retry: the first result'),
            400: errorResponse('bad input'),
            404: errorResponse('unknown person'),
            409: errorResponse('transaction id reused with a different request (IDEMPOTENCY_CONFLICT), or the transaction was reversed since (TRANSACTION_REVERSED) or its year archived (TRANSACTION_ARCHIVED)'),
            422: errorResponse('not enrolled / no policy / date outside policy'),
          },
        },
        get: {
          summary: 'A person’s settlements of a year at this facility, each with its adjustment entries and effective figures (settlement + entries)',
          security: secured,
          parameters: [
            { name: 'personId', in: 'query', required: true, schema: { type: 'integer' } },
            { name: 'year', in: 'query', required: true, schema: { type: 'integer' } },
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
            { name: 'offset', in: 'query', required: false, schema: { type: 'integer', minimum: 0, default: 0 } },
          ],
          responses: { 200: ok('{items, total, limit, offset, nextOffset}: a page of settlements, newest first; nextOffset null on the last page') },
        },
      },
      '/api/v1/settlements/{transactionId}': {
        get: {
          summary: 'One settlement of this facility',
          security: secured,
          parameters: [{ name: 'transactionId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: ok('the settlement'), 404: errorResponse('unknown settlement') },
        },
      },
      '/api/v1/settlements/{transactionId}/reversal': {
        post: {
          summary:
            'Reverse (冲正) a settlement and settle the person’s later bills of the year again: the year ends as if it had never been settled; ' +
            'the differences are adjustment entries (补付 pay / 追回 recover) on the bills they correct; idempotent on reversalId',
          security: secured,
          parameters: [{ name: 'transactionId', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: body(reverseBodySchema),
          responses: {
            200: ok('the reversed settlement, with readjudication.billsChanged and the entries on this facility’s bills'),
            404: errorResponse('unknown settlement'),
            409: errorResponse('already reversed (ALREADY_REVERSED) / the year is closed (YEAR_CLOSED)'),
          },
        },
      },
      '/api/v1/settlements/{transactionId}/correction': {
        post: {
          summary:
            'Correct (更正) a settled bill’s amounts: it and the person’s later bills of the year are settled again; the differences are ' +
            'adjustment entries on the bills they correct; idempotent on correctionId (a retry answers 200 with the first result)',
          security: secured,
          parameters: [{ name: 'transactionId', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: body(correctBodySchema),
          responses: {
            201: ok('the corrected settlement with its effective figures and the entries on this facility’s bills'),
            200: ok('a retry: the first result'),
            400: errorResponse('bad amounts'),
            404: errorResponse('unknown settlement'),
            409: errorResponse('reversed (ALREADY_REVERSED) / the year is closed (YEAR_CLOSED) / correctionId reused with other amounts (IDEMPOTENCY_CONFLICT)'),
          },
        },
      },
      '/api/v1/adjustments': {
        get: {
          summary: 'This facility’s adjustment entries of a year (补付 / 追回 per fund, with the bill they correct and the change that caused them), for reconciliation',
          security: secured,
          parameters: [
            { name: 'year', in: 'query', required: true, schema: { type: 'integer' } },
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000 } },
            { name: 'offset', in: 'query', required: false, schema: { type: 'integer', minimum: 0 } },
          ],
          responses: { 200: ok('adjustment entries'), 400: errorResponse('bad query') },
        },
      },
      ...monitoringPaths,
      ...enrollmentPaths,
      ...withRegisterOperations(consolePaths),
      ...staffAdminPaths,
      ...yearPaths,
      ...drgPaths,
      ...cataloguePaths,
      ...fsiPaths,
      ...accountPaths,
      ...fundPaths,
      ...windowOperationPaths,
      ...residentReceiptPaths,
      ...extraPaths,
    }, responseSchemas),
  };
}

function securityLabel(security: unknown): string {
  const text = JSON.stringify(security);
  if (text.includes('residentCookie')) return 'resident session';
  if (text.includes('staff')) return 'staff session';
  return 'facility API key';
}

/** A self-contained docs page (no CDN): every path, its summary and its request schema. */
export function docsPage(doc: ReturnType<typeof openApiDocument>): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const sections = Object.entries(doc.paths as Record<string, Record<string, { summary?: string; requestBody?: { content: Record<string, { schema: unknown }> }; security?: unknown }>>)
    .flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => {
        const schema = op.requestBody?.content['application/json']?.schema;
        return `<section><h2><span class="m ${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code>${op.security ? ` <span class="k">${esc(securityLabel(op.security))}</span>` : ''}</h2>
<p>${esc(op.summary ?? '')}</p>${schema ? `<details><summary>request body</summary><pre>${esc(JSON.stringify(schema, null, 2))}</pre></details>` : ''}</section>`;
      }),
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(doc.info.title)}</title><style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2733}
h2{font-size:1rem}.m{display:inline-block;min-width:4rem;padding:.1rem .4rem;border-radius:4px;color:#fff;background:#2563eb}
.m.get{background:#15803d}.k{font-size:.75rem;background:#fde68a;padding:.1rem .3rem;border-radius:4px}
pre{background:#f3f4f6;padding:.75rem;overflow:auto;font-size:.8rem}section{border-bottom:1px solid #e5e7eb;padding:.5rem 0}
</style></head><body><h1>${esc(doc.info.title)}</h1><p>${esc(doc.info.description)}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a></p>${sections}</body></html>`;
}
