/** What the DRG routes answer: settlement lists, grouping, weights and rates, monthly payments, the report and one discharge. */
import { z } from 'zod';
import { fen, int, isoDate } from './common.ts';

const finding = z.object({ code: z.string(), severity: z.string(), field: z.string(), message: z.string() });
const groupingStep = z.object({ step: z.string(), rule: z.string().nullable(), detail: z.string() });
const reason = z.object({ code: z.string(), message: z.string() });

/** A discharge's settlement list (结算清单) as the grouper reads it; the patient number masked. */
const abstractSchema = z.object({
  setlId: z.string(),
  mdtrtId: z.string(),
  psnNo: z.string().describe('masked'),
  sex: z.string(),
  ageYears: int.nullable(),
  ageDays: int.nullable(),
  newbornWeightG: int.nullable(),
  admissionDate: isoDate,
  dischargeDate: isoDate,
  iptDays: int,
  dischargeWay: z.string(),
  principal: z.string(),
  secondary: z.array(z.string()),
  mainProcedure: z.string().nullable(),
  otherProcedures: z.array(z.string()),
  total: fen,
  patientPaid: fen,
  fundPaid: fen,
  items: z.array(z.object({ amount: fen, category: z.string() })),
});

export const dischargeSchema = z.object({
  id: int,
  setlId: z.string(),
  abstract: abstractSchema,
  findings: z.array(finding),
  grouping: z.object({
    table: z.string(),
    drg: z.string(),
    name: z.string(),
    mdc: z.string().nullable(),
    adrg: z.string().nullable(),
    ccLevel: z.string().nullable(),
    reason: z.object({ code: z.string(), message: z.string().nullable() }).nullable(),
    steps: z.array(groupingStep),
  }).nullable(),
  payments: z.array(z.object({
    policy: z.string(),
    month: z.string(),
    drg: z.string(),
    weight: int.nullable().describe('ten-thousandths'),
    rate: fen.nullable(),
    standard: fen,
    kind: z.string(),
    payment: fen,
    fundPayment: fen,
    surplus: fen,
    rule: z.string(),
  })),
});

const levelYear = z.object({ cases: int, costPerCase: fen, stayTenths: int });
const paymentRow = z.object({
  abstract_id: int,
  setl_id: z.string(),
  facility_code: z.string(),
  month: z.string(),
  drg: z.string(),
  weight_10k: int.nullable(),
  rate_fen: fen.nullable(),
  standard_fen: fen,
  kind: z.string(),
  payment_fen: fen,
  total_fen: fen,
  patient_fen: fen,
  fund_payment_fen: fen,
  surplus_fen: fen,
  rule: z.string(),
});

export const drgReportSchema = z.object({
  policy: z.object({ id: z.string(), name: z.string(), year: int, table: z.string() }),
  coverage: z.object({
    discharges: int,
    grouped: int,
    ungroupable: int,
    notGroupedYet: int,
    groupedBp: int,
    drgsUsed: int,
    byMdc: z.array(z.object({ mdc: z.string(), cases: int, ungroupable: int, drgs: int })),
    reasons: z.array(z.object({ reason: z.string(), cases: int })),
  }),
  cmi: z.array(z.object({ facility: z.string(), name: z.string(), level: int, cases: int, cmi: int.describe('ten-thousandths') })),
  costByLevel: z.array(z.object({ level: int, before: levelYear.nullable(), now: levelYear.nullable(), costChangeBp: int.nullable() })),
  surplus: z.array(z.object({ facility: z.string(), name: z.string(), level: int, cases: int, months: int, payment: fen, fundPayment: fen, cost: fen, surplus: fen })),
  outliers: z.object({
    high: int,
    low: int,
    paid: fen,
    items: z.array(paymentRow.pick({ abstract_id: true, facility_code: true, setl_id: true, month: true, drg: true, kind: true, standard_fen: true, total_fen: true, payment_fen: true })),
  }),
});

export const drgResponses = {
  'POST /api/v1/drg/settlement-lists': z.object({
    id: int,
    setlId: z.string(),
    replayed: z.boolean(),
    findings: z.array(finding),
    grouping: z.object({
      drg: z.string(),
      name: z.string(),
      mdc: z.string().nullable(),
      adrg: z.string().nullable(),
      ccLevel: z.string().nullable(),
      reason: reason.nullable(),
      steps: z.array(groupingStep),
    }).nullable(),
  }),
  'GET /api/v1/drg/settlement-lists/{setlId}': dischargeSchema,
  'GET /api/v1/drg/discharges/{id}': dischargeSchema,
  'GET /api/v1/drg/policies': z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), year: int }).passthrough()) }),
  'GET /api/v1/drg/report': drgReportSchema,
  'GET /api/v1/drg/payments': z.object({ total: int, limit: int, offset: int, items: z.array(paymentRow) }),
  'POST /api/v1/drg/payments': z.object({
    policyId: z.string(),
    month: z.string(),
    discharges: int,
    byKind: z.record(int),
    payment: fen,
    fundPayment: fen,
    total: fen,
    surplus: fen,
  }),
  'POST /api/v1/drg/groupings': z.object({ tableId: z.string(), discharges: int, grouped: int, ungroupable: int, reasons: z.record(int), groups: int }),
  'POST /api/v1/drg/rates': z.object({
    policyId: z.string(),
    history: z.object({ from: isoDate, to: isoDate, cases: int, kept: int, meanCost: fen }),
    weights: z.array(z.object({ drg: z.string(), weight: int, cases: int, trimmed: int, meanCost: fen, source: z.string() })),
    rates: z.array(z.object({ level: int, budget: fen, weightSum: int, rate: fen, historyFrom: isoDate, historyTo: isoDate })),
  }),
} as const;
