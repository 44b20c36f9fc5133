/** The OpenAPI paths of personal accounts, family sharing and the out-of-area report (issue 13). */
import { errorResponse as err, jsonBody as body, jsonSchemaOf as json, okResponse as ok } from '../openapi-parts.ts';
import { STAFF_SECURITY } from '../openapi-security.ts';
import { baseBodySchema, creditBodySchema, linkBodySchema } from './accounts.ts';
import { clearingImportSchema } from './out-of-area.ts';

const staff = STAFF_SECURITY;
const guarded = { 401: err('not signed in'), 403: err('not permitted, or outside your division') };
const id = [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }];
const q = (name: string, type: string, description?: string) => ({ name, in: 'query', required: false, schema: { type }, ...(description ? { description } : {}) });

export const accountPaths = {
  '/api/v1/console/persons/{id}/account': {
    get: {
      summary: 'The personal account and its yearly statement: opening and closing balance, every credit, spend and restoration with the balance after it, family-sharing links (names masked); format=html gives a printable page (lang zh-CN|bo|en)',
      security: staff, parameters: [...id, q('year', 'integer'), q('format', 'string', 'json (default) or html'), q('lang', 'string')],
      responses: { 200: ok('the statement'), ...guarded },
    },
  },
  '/api/v1/console/persons/{id}/account/base': {
    put: {
      summary: 'Record an employee\'s monthly contribution base (fen), which the in-service credit is a share of (audited)',
      security: staff, parameters: id, requestBody: body(baseBodySchema),
      responses: { 200: ok('{ personId, base, before }'), 400: err('not a positive whole number of fen'), 422: err('not an employee (NOT_AN_EMPLOYEE), or out of bounds (INVALID_BASE)'), ...guarded },
    },
  },
  '/api/v1/console/persons/{id}/family-links': {
    post: {
      summary: 'Family sharing (家庭共济): let this employee\'s account pay the bills of a spouse, parent or child the household register shows (audited)',
      security: staff, parameters: id, requestBody: body(linkBodySchema),
      responses: {
        201: ok('{ id, holderId, relativeId, relation, status }'),
        404: err('unknown person'),
        409: err('already linked (ALREADY_LINKED)'),
        422: err('oneself (SELF_LINK), not a registered relative (NOT_A_REGISTERED_RELATIVE), another relation (RELATION_MISMATCH), not an employee, no family sharing in the policy'),
        ...guarded,
      },
    },
  },
  '/api/v1/console/family-links/{id}': {
    delete: { summary: 'End a family-sharing link (audited)', security: staff, parameters: id, responses: { 200: ok('{ id, status }'), 404: err('unknown link'), 409: err('already ended'), ...guarded } },
  },
  '/api/v1/console/account-credits': {
    post: {
      summary: 'Credit every employee\'s personal account for a month by the policy (in service: a share of the base; retired: a fixed amount); a month credited twice credits once',
      security: staff, requestBody: body(creditBodySchema),
      responses: { 200: ok('{ month, employees, credited, amount, alreadyCredited, skippedNoBase, skippedNoPolicy }'), 400: err('not a month (INVALID_MONTH)'), 422: err('a month not begun, or no policy with accounts'), ...guarded },
    },
  },
  '/api/v1/me/account': {
    get: {
      summary: 'My personal account (employees): balance and the year\'s statement; the accounts shared with me (家庭共济)',
      security: [{ residentCookie: [] }], parameters: [q('year', 'integer')],
      responses: { 200: ok('{ hasAccount, balance, statement, sharedBy }'), 401: err('not signed in as a resident') },
    },
  },
  '/api/v1/console/reports/out-of-area': {
    get: {
      summary: 'Out-of-area treatment both ways for a region and year (format=json, csv or xlsx): as insured place (our people treated elsewhere) and as treatment place (other regions\' people treated here) — settlements, cost, funds paid, by the other place; Sanbao\'s own settlements and the imported clearing lists',
      security: staff, parameters: [q('region', 'string', '6-digit region code; default: your own'), q('year', 'integer')],
      responses: { 200: ok('{ region, year, asInsuredPlace, asTreatmentPlace }'), 400: err('bad query'), 422: err('no policy covers the region (UNKNOWN_REGION)'), ...guarded },
    },
  },
  '/api/v1/console/clearing-imports': {
    post: {
      summary: 'Import the inter-provincial clearing list (CSV/XLSX, base64; columns setl_id, insuplc_admdvs, mdtrtarea_admvs, fixmedins_name, certno, med_type, setl_time, medfee_sumamt, fund_pay_sumamt, acct_pay in yuan): checked row by row, refused whole with each bad row named unless skipBadRows',
      security: staff, requestBody: body(clearingImportSchema),
      responses: { 201: ok('{ batchId, imported, outbound, inbound, skipped }'), 200: ok('the same file again: the first import'), 422: err('bad rows (CLEARING_REJECTED, with problems[])'), ...guarded },
    },
    get: { summary: 'The clearing lists imported', security: staff, responses: { 200: ok('{ items }'), ...guarded } },
  },
};
