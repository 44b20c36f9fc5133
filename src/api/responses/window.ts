/** What the window's undo operations answer (a settlement reversed at the bureau's window, a filing cancelled) and the resident's payments. */
import { z } from 'zod';
import { int } from './common.ts';
import { enrollmentRowSchema, paymentRowSchema } from './enrollment.ts';
import { filingSchema, fundsSchema } from './settlement.ts';

/** The answer of a settlement reversal at the window (fen). */
export const windowReversalResponse = z.object({
  dryRun: z.boolean(),
  settlement: z.object({
    id: int, transactionId: z.string(), facility: z.string(), personId: int, visitDate: z.string(), total: int,
    selfPay: int, status: z.enum(['settled', 'reversed']), reversalId: z.string().nullable(),
  }),
  fundsReturned: fundsSchema,
  accountRestored: int,
  laterBills: z.array(z.object({ settlementId: int, transactionId: z.string(), funds: fundsSchema, selfPay: int, kind: z.string() })),
});

/** The answer of a filing cancellation. */
export const filingCancellationResponse = z.object({
  dryRun: z.boolean(),
  filing: filingSchema,
});

/** My payments of a year, each with its receipt number (fen). */
export const residentPaymentsResponse = z.object({
  year: int,
  items: z.array(z.object({ id: int, receiptNo: z.string(), year: int, amount: int, paidOn: z.string(), kind: z.string(), reversed: z.boolean() })),
});

/** A payment reversed (dryRun: what it would do, with the enrollment before). */
export const paymentReversalResponse = z.object({
  payment: paymentRowSchema,
  enrollment: enrollmentRowSchema,
  before: enrollmentRowSchema.nullable().optional(),
  dryRun: z.literal(true).optional(),
});

export const windowResponses = {
  'POST /api/v1/console/settlements/{id}/reversal': windowReversalResponse,
  'POST /api/v1/console/persons/{id}/filings/{filingId}/cancellation': filingCancellationResponse,
  'GET /api/v1/me/payments': residentPaymentsResponse,
  'POST /api/v1/payments/{id}/reversal': paymentReversalResponse,
} as const;
