/** What the fund routes answer: reconciliation (对账), clearing (清算), bank batches, assistance payouts, the ledger and the fund report. */
import { z } from 'zod';
import { AMOUNT_FIELDS, RECONCILIATION_STATUSES } from '../../domain/ledger/reconcile.ts';
import { detail, fen, int, isoDate, isoInstant } from './common.ts';

/** The national interface's totals of a bill type (counts and fen). */
const totals = z.object(Object.fromEntries(AMOUNT_FIELDS.map((f) => [f, int])) as Record<(typeof AMOUNT_FIELDS)[number], typeof int>);
const detailAmounts = z.object({ medfee_sumamt: fen, fund_pay_sumamt: fen, acct_pay: fen });
const facility = z.object({ id: int, code: z.string(), name: z.string() });

export const reconciliationSchema = z.object({
  id: int,
  facility,
  requestId: z.string(),
  period: z.object({ from: isoDate, to: isoDate }),
  status: z.enum(RECONCILIATION_STATUSES),
  lines: z.array(z.object({ insutype: z.string(), clr_type: z.string(), bureau: totals, hospital: totals, difference: totals, matched: z.boolean() })),
  /** With the hospital's detail lines: each difference; without them (totals differ): the bureau's detail lines to check against. */
  differences: z.array(z.union([
    z.object({
      setl_id: z.string(),
      refd_setl_flag: z.enum(['0', '1']),
      kind: z.enum(['bureau_only', 'hospital_only', 'amounts']),
      bureau: detailAmounts.nullable(),
      hospital: detailAmounts.nullable(),
    }),
    detailAmounts.extend({ setl_id: z.string(), refd_setl_flag: z.enum(['0', '1']) }),
  ])),
  note: z.string().nullable(),
  followedBy: z.string().nullable(),
  submittedAt: isoInstant,
});
const typeTotals = totals.extend({ insutype: z.string(), clr_type: z.string() });

export const clearingSchema = z.object({
  id: int,
  facility: facility.extend({ level: int }),
  kind: z.enum(['monthly', 'year_end']),
  period: z.string(),
  year: int,
  policyId: z.string(),
  bills: z.record(fen).describe('by fund'),
  detail: detail.nullable(),
  reviewDeductions: fen,
  drgDifference: fen,
  depositRate: int.describe('basis points'),
  depositWithheld: fen,
  depositReleased: fen,
  depositForfeited: fen,
  overBudget: fen,
  payments: z.record(fen).describe('by fund'),
  net: fen,
  batchId: int.nullable(),
  clearedBy: z.string(),
  clearedAt: isoInstant,
});

export const payoutSchema = z.object({
  id: int,
  source: z.enum(['application', 'exception']),
  sourceId: int,
  personId: int,
  year: int,
  amount: fen,
  account: z.string().describe('masked'),
  bankName: z.string(),
  status: z.enum(['pending', 'approved', 'sent', 'paid', 'returned']),
  grantedBy: z.string(),
  preparedBy: z.string(),
  approvedBy: z.string().nullable(),
  batchId: int.nullable(),
  returnedReason: z.string().nullable(),
  reissueOf: int.nullable(),
});

const bankBatch = z.object({ id: int, kind: z.string(), reference: z.string(), lines: int, total_fen: fen, created_by: z.string(), created_at: isoInstant });
const comparison = { sources: int, sourceTotal: fen, ledgerTotal: fen, first: z.object({ key: z.string(), source: fen, ledger: fen }).nullable() };

export const fundReportSchema = z.object({
  year: int,
  asOf: isoDate,
  months: z.array(z.string()),
  funds: z.array(z.object({
    fund: z.string(),
    income: z.array(fen),
    spending: z.array(fen),
    totalIncome: fen,
    totalSpending: fen,
    balance: fen,
    reserveTenths: int.nullable().describe('months of spending the balance covers, in tenths'),
  })),
  incomeBySource: z.array(z.object({ fund: z.string(), kind: z.string(), department: z.string().nullable(), amount: fen })),
  perHead: z.object({ enrolled: int, spending: fen, perHead: fen.nullable() }),
  byLevel: z.array(z.object({ level: int, spending: fen, bills: int, perBill: fen })),
  warnings: z.array(z.object({ fund: z.string(), budget: fen, spent: fen, spentBp: int, elapsedBp: int, level: z.enum(['ok', 'ahead', 'over']) })),
  subsidies: z.array(z.object({ department: z.string(), due: fen, received: fen })),
});

export const fundResponses = {
  'POST /api/v1/reconciliations': reconciliationSchema,
  'GET /api/v1/reconciliations/statement': z.object({
    facility: z.string(),
    from: isoDate,
    to: isoDate,
    totals: z.array(typeTotals),
    details: z.array(detailAmounts.extend({ setl_id: z.string(), refd_setl_flag: z.enum(['0', '1']) })),
  }),
  'GET /api/v1/reconciliations/{id}': reconciliationSchema,
  'GET /api/v1/fund/reconciliations': z.object({ items: z.array(reconciliationSchema) }),
  'GET /api/v1/fund/reconciliations/totals': z.object({ from: isoDate, to: isoDate, items: z.array(z.object({ facility, totals: z.array(typeTotals) })) }),
  'POST /api/v1/fund/reconciliations/{id}/follow-up': reconciliationSchema,
  'POST /api/v1/fund/clearings': z.object({ cleared: z.array(clearingSchema), alreadyCleared: z.array(z.string()) }),
  'GET /api/v1/fund/clearings': z.object({ items: z.array(clearingSchema) }),
  'POST /api/v1/fund/clearings/year-end': clearingSchema,
  'GET /api/v1/clearings': z.object({ items: z.array(clearingSchema) }),
  'PUT /api/v1/fund/facilities/{code}/bank-account': z.object({ facility: z.string(), account: z.string().describe('masked'), accountName: z.string(), bankName: z.string() }),
  'POST /api/v1/fund/bank-batches': bankBatch,
  'GET /api/v1/fund/bank-batches': z.object({ items: z.array(bankBatch) }),
  'GET /api/v1/fund/payouts': z.object({ items: z.array(payoutSchema) }),
  'POST /api/v1/fund/payouts': payoutSchema,
  'POST /api/v1/fund/payouts/{id}/approve': payoutSchema,
  'POST /api/v1/fund/payouts/{id}/paid': payoutSchema,
  'POST /api/v1/fund/payouts/{id}/returned': payoutSchema,
  'POST /api/v1/fund/payouts/{id}/reissue': payoutSchema,
  'GET /api/v1/fund/ledger/verify': z.object({
    ok: z.boolean(),
    trialBalance: fen.describe('zero when the books balance'),
    byFund: z.record(fen),
    firstDifference: z.string().nullable(),
    checks: z.array(z.object({ name: z.string(), ...comparison })),
    accounts: z.array(z.object({ account: z.string(), fund: z.string(), debit: fen, credit: fen, balance: fen })),
  }),
  'GET /api/v1/fund/ledger/journals': z.object({ items: z.array(z.object({ id: int, kind: z.string(), posted_at: isoInstant }).passthrough()) }),
  'GET /api/v1/fund/report': fundReportSchema,
} as const;
