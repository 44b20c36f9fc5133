/** Request schemas of the hospital API, at the boundary (zod); also the source of /openapi.json. */
import { z } from 'zod';
import { idNumberProblem } from '../domain/id-number.ts';
import { fenSchema, isoDateSchema, amountsSchema } from '../domain/engine/quote-schema.ts';
import { CHRONIC_CLASSES, VISIT_KINDS } from '../domain/vocabulary.ts';

export const idNumberSchema = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .superRefine((s, ctx) => {
    const problem = idNumberProblem(s);
    if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `ID number ${problem}` });
  });

export const patientSchema = z.union([
  z.strictObject({ idNumber: idNumberSchema }),
  z.strictObject({ qrToken: z.string().min(8).max(200) }),
], { errorMap: () => ({ message: 'give exactly one of idNumber or qrToken' }) });

export const billVisitSchema = z
  .strictObject({
    kind: z.enum(VISIT_KINDS),
    date: isoDateSchema,
    majorIllness: z.boolean().optional(),
    /** Emergency treatment (急诊抢救): out of area, it counts as filed (视同已备案). */
    emergency: z.boolean().optional(),
    chronicClass: z.enum(CHRONIC_CLASSES).optional(),
    /** A chronic visit's category in the policy's chronic-disease catalogue (1…n), checked against the catalogue in force. */
    chronicCategory: z.number({ invalid_type_error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be 1 or more').max(10_000).optional(),
    diagnosis: z.string().max(200).optional(),
    /** Inpatients: the day of discharge (the visit's date is the admission); fee lines must fall between. */
    dischargeDate: isoDateSchema.optional(),
  })
  .refine((v) => v.kind !== 'chronic' || v.chronicClass !== undefined, {
    message: 'a chronic visit needs chronicClass "A" or "B"',
    path: ['chronicClass'],
  })
  .refine((v) => v.dischargeDate === undefined || v.dischargeDate >= v.date, {
    message: 'must not be before the visit date',
    path: ['dischargeDate'],
  });

/** One fee line of an itemised bill: the catalogue code, a whole quantity in the item's unit, prices in fen. */
export const feeLineSchema = z.strictObject({
  code: z.string().trim().min(1).max(50),
  quantity: z.number({ invalid_type_error: 'must be a whole number of units' }).int('must be a whole number of units').positive('must be at least 1').max(1_000_000),
  unitPrice: fenSchema.refine((v) => v > 0, 'must be above 0 fen'),
  amount: fenSchema,
  date: isoDateSchema,
  department: z.string().trim().min(1).max(100),
});

export const transactionIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, 'must be 1–64 letters, digits, _ . : -');

/** A path's transaction id, so a refusal names the field (`transactionId`). */
export const transactionIdParamsSchema = z.object({ transactionId: transactionIdSchema });

/** A bill: the hospital's amounts, or its fee lines (then the bureau computes the compliant amount), or both (the total must agree). */
const billFields = {
  patient: patientSchema,
  visit: billVisitSchema,
  amounts: amountsSchema.optional(),
  lines: z.array(feeLineSchema).min(1).max(5_000).optional(),
};
const amountsOrLines = (b: { amounts?: unknown; lines?: unknown }) => b.amounts !== undefined || b.lines !== undefined;
const amountsOrLinesMessage = { message: 'give amounts {total, compliant} or fee lines', path: ['amounts'] };
/**
 * The patient's choice to pay from the personal account (national interface: acct_used_flag); the
 * accounts then pay what they hold of the part they may pay, or exactly acctPayAmount (fen) when given.
 */
const accountFields = { acctUsedFlag: z.boolean().optional(), acctPayAmount: fenSchema.optional() };
export const preSettleBodySchema = z.strictObject({ ...billFields, ...accountFields }).refine(amountsOrLines, amountsOrLinesMessage);
export const settleBodySchema = z.strictObject({ ...billFields, ...accountFields, transactionId: transactionIdSchema }).refine(amountsOrLines, amountsOrLinesMessage);
export const reverseBodySchema = z.strictObject({ reversalId: transactionIdSchema });
/** Why a hospital looks a patient up (recorded in the audit log). */
export const IDENTIFY_PURPOSES = ['registration', 'pre_settlement', 'settlement', 'inquiry'] as const;
export const identifyBodySchema = z.strictObject({
  patient: patientSchema,
  year: z.number().int().min(2000).max(2100).optional(),
  purpose: z.enum(IDENTIFY_PURPOSES).default('registration'),
});
/** A correction (更正) of a settled bill's amounts, idempotent on correctionId. */
export const correctBodySchema = z.strictObject({ correctionId: transactionIdSchema, amounts: amountsSchema });
/** A person's settlements of a year at the facility, newest first, a page at a time (offset paging with the total). */
export const listQuerySchema = z.strictObject({
  personId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  year: z.coerce.number().int().min(2000).max(2100),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** A facility's adjustment entries (补付 / 追回) of a year, for reconciliation. */
export const adjustmentsQuerySchema = z.strictObject({
  year: z.coerce.number().int().min(2000).max(2100),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export { fenSchema };
