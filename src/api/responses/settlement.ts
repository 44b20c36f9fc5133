/** A settlement's figures and explanation, and its adjustment entries: shared by the hospital API, the console and the resident page. */
import { z } from 'zod';
import { FUNDS, VISIT_KINDS } from '../../domain/vocabulary.ts';
import { YEAR_TO_DATE_FIELDS } from '../../domain/engine/types.ts';
import { FILING_CHANNELS } from '../../store/repositories/out-of-area-filings.ts';
import { FILING_REASONS } from '../../domain/policy/filing-limits.ts';
import { billStepFields } from './bill-step.ts';
import { fen, int, isoDate, isoInstant } from './common.ts';

export const fundsSchema = z.object({ basic: fen, critical: fen, assistance: fen, supplementary: fen, tilt: fen });

/**
 * One step of the explanation, in settlement order: a fund's payment, a personal-account
 * payment, or the bill's step (how the compliant amount came about, line group by line group).
 */
export const stepSchema = z.object({
  fund: z.enum([...FUNDS, 'personalAccount', 'bill']),
  base: fen,
  rule: z.string(),
  amount: fen,
  ratio: int.optional().describe('basis points (1/10000)'),
  deductible: fen.optional(),
  capRemaining: fen.optional(),
  identity: z.string().optional(),
  /** A supplementary tier's id (county_mutual_aid …). */
  tier: z.string().optional(),
  accumulated: z.object({ before: fen, after: fen, threshold: fen }).optional(),
  note: z.string().optional(),
  ...billStepFields,
});

/** What a bill cost and who paid it: the figures every settlement and trial calculation carries. */
export const breakdownSchema = z.object({
  total: fen,
  compliant: fen,
  funds: fundsSchema,
  selfPayCompliant: fen,
  selfPayExcluded: fen,
  selfPay: fen,
  aboveCap: fen,
  steps: z.array(stepSchema),
});

/** Why an entry was made: the bill settled again, assistance on application recovered, a case-by-case approval recovered. */
export const adjustmentKindSchema = z.enum(['readjudication', 'assistance_recovery', 'exception_recovery']);
/** The change that caused an entry: which bill (its visit date and hospital) was reversed or corrected. */
export const adjustmentCauseSchema = z.object({ change: z.enum(['reversal', 'correction']), settlementId: int, visitDate: isoDate, facility: z.string() });

/** An adjustment entry (补付 pay / 追回 recover per fund) on a bill settled again. */
export const adjustmentSchema = z.object({
  id: int,
  readjudicationId: int,
  settlementId: int,
  transactionId: z.string(),
  kind: adjustmentKindSchema,
  cause: adjustmentCauseSchema,
  entries: z.array(z.object({ fund: z.enum(FUNDS), direction: z.enum(['pay', 'recover']), amount: fen })),
  funds: fundsSchema,
  selfPay: fen.describe('the change of the patient’s part: above 0 it grows'),
  amounts: z.object({ total: fen, compliant: fen }),
  steps: z.array(stepSchema).nullable(),
  createdAt: isoInstant,
});

/** The figures a bill ends with: the settlement plus its adjustment entries. */
export const effectiveSchema = z.object({ total: fen, compliant: fen, funds: fundsSchema, selfPay: fen });

/** A settlement as the hospital API shows it. */
export const settlementSchema = breakdownSchema.extend({
  id: int,
  transactionId: z.string(),
  status: z.string(),
  facility: z.object({ code: z.string(), name: z.string() }),
  personId: int,
  year: int,
  policy: z.string(),
  visit: z.object({ kind: z.enum(VISIT_KINDS), level: int, date: isoDate }),
  settledAt: isoInstant,
  reversalId: z.string().nullable(),
  reversedAt: isoInstant.nullable(),
});
export const adjustedSettlementSchema = settlementSchema.extend({ effective: effectiveSchema, adjustments: z.array(adjustmentSchema) });

/** An out-of-area filing (异地就医备案) as stored. */
export const filingSchema = z.object({
  id: int,
  person_id: int,
  insured_division: z.string(),
  treatment_place: z.string(),
  treatment_division: z.string().nullable(),
  reason: z.enum(FILING_REASONS),
  valid_from: isoDate,
  valid_to: isoDate,
  channel: z.enum(FILING_CHANNELS),
  status: z.enum(['active', 'cancelled']),
  created_by: z.string(),
  created_at: isoInstant,
});

/** A monitoring alert a bill raised (防返贫 / 防致贫). */
export const alertSchema = z.object({ threshold: z.string(), label: z.string(), amount: fen, yearlySelfPay: fen, risk: z.enum(['becoming_poor', 'falling_back']), departments: z.array(z.string()) });

/** The engine's answer to a bill (trial calculation, pre-settlement): the figures, the alerts it raised, the year-to-date it ran on. */
export const engineSettlementSchema = breakdownSchema.extend({
  policy: z.string(),
  alerts: z.array(alertSchema),
  identities: z.array(z.string()),
  yearToDate: z.object(Object.fromEntries(YEAR_TO_DATE_FIELDS.map((f) => [f, fen])) as Record<(typeof YEAR_TO_DATE_FIELDS)[number], typeof fen>),
  rulesFrom: isoDate,
  payment: z.object({ personalAccount: fen, cash: fen }).optional(),
});
