/** The fund's paths of the OpenAPI document (issue 14), from the schemas the handlers validate with. */
import { errorResponse as err, jsonBody as body, jsonSchemaOf as json, okResponse as ok } from '../openapi-parts.ts';
import type { z } from 'zod';
import { STAFF_SECURITY } from '../openapi-security.ts';
import { bankAccountBody, batchBody, clearingListQuery, clearMonthBody, fileQuery, statementQuery as clearingStatementQuery, yearEndBody } from './clearing.ts';
import { journalQuery, payoutListQuery, prepareBody, reissueBody, returnBody } from './payouts.ts';
import { fundReportQuery } from './fund.ts';
import { followUpBody, reconcileBody, reconciliationListQuery, statementQuery } from './reconciliation.ts';

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
  '/api/v1/fund/reconciliations/totals': {
    get: { summary: 'The bureau’s totals of a day or month for every hospital in the area, per insutype and clr_type (3201 fields, fen)', security: staff, parameters: query(statementQuery), responses: { 200: ok('{ from, to, items[{ facility, totals[] }] }'), 400: err('bad period'), ...guarded } },
  },
  '/api/v1/fund/reconciliations/{id}/follow-up': {
    post: {
      summary: 'Follow a mismatch: open → explained → resolved, with a note; audited',
      security: staff, parameters: idPath, requestBody: body(followUpBody),
      responses: { 200: ok('the reconciliation'), 400: err('no note'), 404: err('unknown'), 409: err('INVALID_TRANSITION'), ...guarded },
    },
  },
  '/api/v1/fund/clearings': {
    post: {
      summary: 'Clear a month (清算): every hospital with anything to clear, or one; bills of the month (settlements, reversals, adjustments) − review deductions + DRG difference − quality deposit; posted to the ledger, audited',
      security: staff, requestBody: body(clearMonthBody),
      responses: { 201: ok('{ cleared[], alreadyCleared[] }'), 400: err('INVALID_MONTH'), 404: err('UNKNOWN_FACILITY'), 409: err('MONTH_CLEARED: a correction is a new entry in a later clearing'), 422: err('MONTH_NOT_OVER'), ...guarded },
    },
    get: { summary: 'Clearings in the staff member’s area', security: staff, parameters: query(clearingListQuery), responses: { 200: ok('{ items }'), ...guarded } },
  },
  '/api/v1/fund/clearings/year-end': {
    post: {
      summary: 'Year end of a hospital: the withheld deposit released by its assessment (0–100 %), spending above its budget (总额预算) taken back',
      security: staff, requestBody: body(yearEndBody),
      responses: { 201: ok('the year-end clearing'), 400: err('INVALID_ASSESSMENT'), 409: err('YEAR_CLEARED'), 422: err('YEAR_NOT_OVER'), ...guarded },
    },
  },
  '/api/v1/fund/clearings/{id}/statement': {
    get: { summary: 'A clearing statement (清算单), CSV or PDF', security: staff, parameters: [...idPath, ...query(clearingStatementQuery)], responses: { 200: { description: 'text/csv or application/pdf' }, 404: err('unknown'), ...guarded } },
  },
  '/api/v1/clearings': {
    get: { summary: 'This hospital’s clearings', security: facility, parameters: query(clearingListQuery.omit({ facilityId: true })), responses: { 200: ok('{ items }'), 401: err('missing or wrong API key') } },
  },
  '/api/v1/clearings/{id}/statement': {
    get: { summary: 'This hospital’s clearing statement (清算单), CSV or PDF', security: facility, parameters: [...idPath, ...query(clearingStatementQuery)], responses: { 200: { description: 'text/csv or application/pdf' }, 404: err('not this hospital’s') } },
  },
  '/api/v1/fund/facilities/{code}/bank-account': {
    put: {
      summary: 'A hospital’s account for clearing payments: stored encrypted (AES-GCM), answered masked',
      security: staff, parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string' } }], requestBody: body(bankAccountBody),
      responses: { 200: ok('{ facility, account (masked), accountName, bankName }'), 400: err('INVALID_ACCOUNT'), 503: err('BANK_KEY_MISSING'), ...guarded },
    },
  },
  '/api/v1/fund/bank-batches': {
    post: {
      summary: 'A bank payment batch: a period’s clearings not yet paid (positive net), or every approved payout (the assistance fund pays); docs/bank-batch.md',
      security: staff, requestBody: body(batchBody),
      responses: { 201: ok('{ id, kind, reference, lines, total_fen }'), 422: err('NOTHING_TO_PAY / NO_BANK_ACCOUNT (facilities named)'), ...guarded },
    },
    get: { summary: 'The latest bank batches', security: staff, responses: { 200: ok('{ items }'), ...guarded } },
  },
  '/api/v1/fund/bank-batches/{id}/file': {
    get: { summary: 'The batch’s bank file, CSV or XLSX (the only place account numbers appear whole; audited)', security: staff, parameters: [...idPath, ...query(fileQuery)], responses: { 200: { description: 'the file' }, 404: err('unknown'), ...guarded } },
  },
  '/api/v1/fund/payouts': {
    get: { summary: 'Assistance payouts in the area (accounts masked)', security: staff, parameters: query(payoutListQuery), responses: { 200: ok('{ items }'), ...guarded } },
    post: {
      summary: 'Prepare the payout of a grant (application or 一事一议 exception) to a bank card (Luhn-checked, encrypted)',
      security: staff, requestBody: body(prepareBody),
      responses: { 201: ok('the payout, pending'), 400: err('INVALID_ACCOUNT: fails its check digit'), 404: err('UNKNOWN_GRANT'), 409: err('PAYOUT_EXISTS'), ...guarded },
    },
  },
  '/api/v1/fund/payouts/{id}/approve': {
    post: { summary: 'Approve (checker): never the clerk who granted the assistance or prepared the payout', security: staff, parameters: idPath, responses: { 200: ok('approved'), 403: err('MAKER_CANNOT_APPROVE'), 409: err('INVALID_TRANSITION'), 401: err('not signed in') } },
  },
  '/api/v1/fund/payouts/{id}/paid': { post: { summary: 'The bank confirmed the payment', security: staff, parameters: idPath, responses: { 200: ok('paid'), 409: err('INVALID_TRANSITION'), ...guarded } } },
  '/api/v1/fund/payouts/{id}/returned': {
    post: { summary: 'The bank returned the payment: back into the fund, owed to the resident again', security: staff, parameters: idPath, requestBody: body(returnBody), responses: { 200: ok('returned'), 400: err('INVALID_REASON'), 409: err('INVALID_TRANSITION'), ...guarded } },
  },
  '/api/v1/fund/payouts/{id}/reissue': {
    post: { summary: 'Re-issue a returned payout, optionally to a corrected card; approved again', security: staff, parameters: idPath, requestBody: body(reissueBody), responses: { 201: ok('the new payout'), 400: err('INVALID_ACCOUNT'), 409: err('INVALID_TRANSITION'), ...guarded } },
  },
  '/api/v1/fund/ledger/verify': {
    get: { summary: 'The ledger proved: trial balance zero, each fund balanced, equal to settlements, contributions, assistance, clearings and payouts (the first difference named)', security: staff, responses: { 200: ok('{ ok, trialBalance, byFund, firstDifference, checks[], accounts[] }'), ...guarded } },
  },
  '/api/v1/fund/ledger/journals': {
    get: { summary: 'The latest journals with their lines (debit positive, fen)', security: staff, parameters: query(journalQuery), responses: { 200: ok('{ items }'), ...guarded } },
  },
  '/api/v1/fund/report': {
    get: {
      summary: 'Fund report of a year: income (contributions, subsidies by paying department, finance) against spending per fund and month, spending per head and per hospital level, months of reserve, the budget warning (基金预警)',
      security: staff, parameters: query(fundReportQuery),
      responses: { 200: ok('{ year, asOf, months[], funds[{ fund, income[], spending[], balance, reserveTenths }], incomeBySource[], perHead, byLevel[], warnings[{ fund, budget, spent, spentBp, elapsedBp, level: ok|ahead|over }] }'), 400: err('INVALID_INPUT: year'), ...guarded },
    },
  },
};
