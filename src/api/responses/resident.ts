/** What the resident self-service routes (/me) answer. */
import { z } from 'zod';
import { SCHEMES } from '../../domain/vocabulary.ts';
import { enrollmentYearSchema, fen, heldIdentitySchema, int, isoDate, isoInstant, masked, okAnswer } from './common.ts';
import { adjustmentCauseSchema, adjustmentKindSchema, effectiveSchema, engineSettlementSchema, filingSchema, fundsSchema, stepSchema } from './settlement.ts';

export const residentOverviewSchema = z.object({
  person: z.object({
    id: int,
    name: z.string().describe('the resident’s own name, in full'),
    nameBo: z.string().nullable(),
    idNumber: masked,
    phone: masked.nullable(),
    divisionCode: z.string(),
    division: z.object({ name: z.string(), name_bo: z.string().nullable(), name_en: z.string().nullable() }).nullable(),
    scheme: z.enum(SCHEMES),
    /** The e-insurance code the page draws as a QR code. */
    qrToken: z.string(),
  }),
  /** The day the trial calculation starts on: one a policy covers. */
  quote: z.object({ date: isoDate }).optional(),
  identities: z.array(heldIdentitySchema),
  enrollments: z.array(enrollmentYearSchema.extend({ scheme: z.enum(SCHEMES), coverFrom: isoDate.nullable(), waitingMonths: int })),
});

/** An adjustment entry as the resident sees it (no ids of other bills). */
export const residentAdjustmentSchema = z.object({
  id: int,
  kind: adjustmentKindSchema,
  /** The bill this entry corrects. */
  settlementId: int,
  cause: adjustmentCauseSchema,
  entries: z.array(z.object({ fund: z.string(), direction: z.enum(['pay', 'recover']), amount: fen })),
  selfPay: fen,
  steps: z.array(stepSchema).nullable(),
  createdAt: isoInstant,
});

export const reimbursementSchema = z.object({
  id: int,
  date: isoDate,
  kind: z.string(),
  level: int,
  facility: z.string(),
  facilityBo: z.string().nullable(),
  total: fen,
  compliant: fen,
  funds: fundsSchema,
  selfPay: fen,
  status: z.string(),
  steps: z.array(stepSchema),
  effective: effectiveSchema,
  adjustments: z.array(residentAdjustmentSchema),
});

export const residentResponses = {
  'GET /api/v1/me/sign-in': z.object({ delivery: z.enum(['sms', 'file', 'none']) }),
  'POST /api/v1/me/code': z.object({ sent: z.boolean(), phone: masked.nullable().describe('where the code went; null: no phone registered') }),
  'POST /api/v1/me/login': z.object({ expiresAt: isoInstant }),
  'POST /api/v1/me/logout': okAnswer,
  'GET /api/v1/me': residentOverviewSchema,
  'GET /api/v1/me/settlements': z.object({ items: z.array(reimbursementSchema) }),
  'POST /api/v1/me/quote': engineSettlementSchema,
  'GET /api/v1/me/filings': z.object({ items: z.array(filingSchema) }),
  'POST /api/v1/me/filings': filingSchema,
} as const;
