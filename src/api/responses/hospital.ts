/** What the hospital API (identify, pre-settle, settle, reverse, correct, list) and the public routes answer. */
import { z } from 'zod';
import { EMPLOYMENT_STATUSES, SCHEMES } from '../../domain/vocabulary.ts';
import { fen, int, isoDate, masked } from './common.ts';
import { adjustedSettlementSchema, adjustmentSchema, alertSchema, engineSettlementSchema, settlementSchema } from './settlement.ts';

/** One fee line of an itemised bill as priced (class A/B/C, above the price ceiling, excluded, paid first by the patient). */
export const billLineSchema = z.object({
  index: int,
  code: z.string(),
  name: z.string().nullable(),
  kind: z.string().optional(),
  class: z.enum(['A', 'B', 'C']),
  quantity: int,
  unitPrice: fen,
  amount: fen,
  date: isoDate,
  department: z.string(),
  aboveCap: fen,
  excluded: fen,
  selfPayFirst: fen,
  compliant: fen,
  rule: z.string().optional(),
});
export const billSchema = z.object({ verification: z.enum(['itemised', 'unverified']), lines: z.array(billLineSchema) });

/** How the patient's part was paid: personal accounts (own, family) and cash. */
export const accountPartSchema = z.object({
  acctPay: fen,
  acctMulaidPay: fen,
  cashPay: fen,
  balance: fen.nullable().optional().describe('the patient’s own balance after the bill; null: no account'),
  payments: z.array(z.object({ holderId: int, kind: z.enum(['own', 'family']), amount: fen, balanceAfter: fen })),
});

const readjudication = z.object({ billsChanged: int, adjustments: z.array(adjustmentSchema) });

export const hospitalResponses = {
  'GET /healthz': z.object({ status: z.enum(['ok', 'unavailable']), database: z.string() }),
  'GET /api/v1/policies': z.object({
    items: z.array(z.object({
      id: z.string(),
      year: int,
      region: z.object({ code: z.string(), name: z.string() }),
      name: z.object({ zh: z.string(), en: z.string(), bo: z.string().optional() }),
      from: isoDate,
      to: isoDate,
    })),
  }),
  'POST /api/v1/quote': engineSettlementSchema,
  'POST /api/v1/identify': z.object({
    personId: int,
    name: z.string(),
    maskedName: masked,
    idNumber: masked,
    sex: z.enum(['M', 'F']),
    scheme: z.enum(SCHEMES),
    status: z.enum(EMPLOYMENT_STATUSES).nullable(),
    divisionCode: z.string(),
    year: int,
    enrolled: z.boolean(),
    identities: z.array(z.object({ identity: z.string(), validFrom: isoDate, validTo: isoDate.nullable() })),
    accountBalance: fen.nullable(),
  }),
  'POST /api/v1/pre-settlements': engineSettlementSchema.merge(billSchema).extend({ account: accountPartSchema.optional() }),
  'POST /api/v1/settlements': settlementSchema.merge(billSchema).extend({ replayed: z.boolean(), alerts: z.array(alertSchema), account: accountPartSchema }),
  'GET /api/v1/settlements/{transactionId}': settlementSchema.merge(billSchema).extend({ account: accountPartSchema }),
  'POST /api/v1/settlements/{transactionId}/reversal': settlementSchema.extend({ readjudication }),
  'POST /api/v1/settlements/{transactionId}/correction': adjustedSettlementSchema.extend({ replayed: z.boolean(), readjudication }),
  'GET /api/v1/settlements': z.object({ items: z.array(adjustedSettlementSchema), total: int, limit: int, offset: int, nextOffset: int.nullable() }),
  'GET /api/v1/adjustments': z.object({ items: z.array(adjustmentSchema) }),
} as const;
