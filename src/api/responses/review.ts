/** What claim review (审核) and the catalogue answer: flags, statistics, rules, runs, catalogue items, a settlement's bill. */
import { z } from 'zod';
import { ITEM_CLASSES, ITEM_KINDS } from '../../domain/catalogue/items.ts';
import { detail, fen, int, isoDate, isoInstant } from './common.ts';
import { billSchema } from './hospital.ts';

export const reviewFlagSchema = z.object({
  id: int,
  rule: z.string(),
  settlementId: int,
  transactionId: z.string(),
  facility: z.object({ id: int, code: z.string(), name: z.string() }),
  personId: int,
  visitDate: isoDate,
  lineIndex: int.nullable(),
  relatedSettlementId: int.nullable(),
  amount: fen,
  fundsPaid: fen,
  message: z.string(),
  source: z.string(),
  status: z.string(),
  deducted: fen.nullable(),
  reason: z.string().nullable(),
  explanation: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: isoInstant.nullable(),
  createdAt: isoInstant,
});

export const catalogueItemSchema = z.object({
  region: z.string(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(ITEM_KINDS),
  class: z.enum(ITEM_CLASSES),
  selfPayFirst: z.object({ resident: z.string(), employee: z.string() }).describe('percentages, formatted'),
  priceCap: fen.nullable(),
  unit: z.string(),
  restrictions: z.object({
    minLevel: int.optional(),
    minAge: int.optional(),
    maxAge: int.optional(),
    sex: z.enum(['M', 'F']).optional(),
    diagnoses: z.array(z.string()),
    maxPerDay: int.optional(),
    maxPerStay: int.optional(),
  }),
  validFrom: isoDate,
  validTo: isoDate.nullable(),
});

const ruleSchema = z.object({ id: z.string(), enabled: z.boolean(), params: detail });

export const reviewResponses = {
  'GET /api/v1/review/flags': z.object({ items: z.array(reviewFlagSchema) }),
  'POST /api/v1/review/flags/{id}/decision': reviewFlagSchema,
  'GET /api/v1/review/stats': z.object({
    items: z.array(z.object({ facility: z.object({ id: int, code: z.string(), name: z.string() }), rule: z.string(), flags: int, open: int, amount: fen, deducted: fen })),
  }),
  'GET /api/v1/review/clearing': z.object({ from: isoDate, to: isoDate, items: z.array(z.object({ facility: z.object({ id: int, code: z.string() }), flags: int, deducted: fen })) }),
  'GET /api/v1/review/rules': z.object({ items: z.array(ruleSchema) }),
  'PUT /api/v1/review/rules/{id}': ruleSchema,
  'POST /api/v1/review/runs': z.object({ runId: int, settlements: int, lines: int, flagsNew: int, byRule: z.record(int) }),
  'GET /api/v1/review-flags': z.object({ items: z.array(reviewFlagSchema) }),
  'POST /api/v1/review-flags/{id}/explanation': reviewFlagSchema,
  'GET /api/v1/catalogue/items': z.object({ date: isoDate, items: z.array(catalogueItemSchema) }),
  'GET /api/v1/console/settlements/{id}/bill': billSchema.extend({ flags: z.array(reviewFlagSchema) }),
} as const;
