/** The monitoring API's boundary: zod schemas for the staff console's requests, shared with the OpenAPI document. */
import { z } from 'zod';
import { isoDateSchema } from '../../domain/engine/quote-schema.ts';
import { CASE_STATUSES } from '../../domain/monitoring/case-machine.ts';
import { INCLUSION_IDENTITIES } from '../../domain/monitoring/determination.ts';
import { MAX_FEN } from '../../domain/money.ts';
import { DEPARTMENTS, IDENTITIES } from '../../domain/vocabulary.ts';

const fen = z.number().int().min(0).max(MAX_FEN);
const positiveFen = z.number().int().min(1).max(MAX_FEN);
const note = z.string().trim().min(1).max(2000);
const isoDate = isoDateSchema; // a real calendar day, not just the shape
export const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month such as 2025-06');
const division = z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/, 'a 6, 9 or 12-digit division code');

export const caseListQuerySchema = z.strictObject({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  status: z.enum(CASE_STATUSES).optional(),
  risk: z.enum(['becoming_poor', 'falling_back']).optional(),
  department: z.enum(DEPARTMENTS).optional(),
  source: z.enum(['realtime', 'monthly']).optional(),
  personId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  division: division.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  /** json: one page; csv or xlsx: the whole selection as a file. */
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
});

export const idParamsSchema = z.strictObject({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export const verifyBodySchema = z.strictObject({ note, visitedOn: isoDate.optional() });
export const closeBodySchema = z.strictObject({ note });

export const determinationBodySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('assistance_on_application'), applicationId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER), note: note.optional() }),
  z.strictObject({ kind: z.literal('temporary_assistance'), amount: positiveFen, note: note.optional() }),
  z.strictObject({ kind: z.literal('included'), identity: z.enum(INCLUSION_IDENTITIES), note: note.optional() }),
  z.strictObject({ kind: z.literal('sudden_hardship'), note: note.optional() }),
  z.strictObject({ kind: z.literal('not_needed'), reason: z.enum(['income_above_line', 'other']), note: note.optional(), otherDeductions: fen.optional() }),
]);

export const assessmentQuerySchema = z.strictObject({ otherDeductions: z.coerce.number().int().min(0).max(MAX_FEN).default(0) });

export const applicationBodySchema = z.strictObject({ identity: z.enum(IDENTITIES).optional() });
export const exceptionBodySchema = z.strictObject({ amount: positiveFen, reason: z.string().trim().min(4).max(2000) });

/** `full`: recompute every yearly self-pay from the settlements (by default a run after the year's first is incremental). */
export const runBodySchema = z.strictObject({ month: monthSchema, full: z.boolean().optional() });
export const statisticsQuerySchema = z.strictObject({ month: monthSchema.optional() });

export const endpointBodySchema = z.strictObject({
  url: z.string().url().max(500),
  secret: z.string().min(16, 'at least 16 characters').max(200),
  active: z.boolean().default(true),
  /** Explicitly allow a loopback, link-local or private address (a relay on the bureau's own network); default false. */
  allowPrivateNetwork: z.boolean().default(false),
});
export const departmentParamsSchema = z.strictObject({ department: z.enum(DEPARTMENTS) });
export const listQuerySchema = z.strictObject({ all: z.enum(['true', 'false']).default('false') });
/** The id a list download reported (header x-sanbao-list-up-to): its pushes, and no newer one, count as delivered. */
export const markDeliveredBodySchema = z.strictObject({ upTo: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) });

export const lineParamsSchema = z.strictObject({ regionCode: division, year: z.coerce.number().int().min(2000).max(2100) });
export const lineBodySchema = z.strictObject({ monitoringLine: positiveFen });
