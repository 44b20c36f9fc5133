/** Request schemas of the chronic-disease routes (zod), also the source of their OpenAPI paths. */
import { z } from 'zod';
import { isoDateSchema } from '../../domain/engine/quote-schema.ts';
import { DOCUMENT_KINDS } from '../../service/chronic-approvals.ts';
import { patientSchema } from '../schemas.ts';

export const documentSchema = z.strictObject({
  kind: z.enum(DOCUMENT_KINDS),
  fileName: z.string().trim().min(1).max(200),
  sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be the file’s SHA-256 as 64 hex digits'),
  sizeBytes: z.number().int().positive().max(50 * 1024 * 1024, 'must be at most 50 MB'),
});

const applicationFields = {
  diseaseCode: z.string().trim().min(1).max(32),
  diagnosis: z.string().trim().min(3).max(20),
  date: isoDateSchema.optional(),
  documents: z.array(documentSchema).max(20).default([]),
};

export const staffApplicationSchema = z.strictObject({ personId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER), ...applicationFields });
export const hospitalApplicationSchema = z.strictObject({ patient: patientSchema, ...applicationFields });

export const decisionSchema = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('approve'), validFrom: isoDateSchema, validTo: isoDateSchema, reason: z.string().trim().max(500).optional() }),
  z.strictObject({ decision: z.literal('reject'), reason: z.string().trim().min(1).max(500) }),
]);
export const renewalSchema = z.strictObject({ validTo: isoDateSchema });
export const revocationSchema = z.strictObject({ reason: z.string().trim().min(1).max(500) });

export const applicationListQuery = z.strictObject({
  status: z.enum(['submitted', 'approved', 'rejected']).optional(),
  personId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export const approvalListQuery = z.strictObject({
  status: z.enum(['active', 'revoked']).optional(),
  personId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export const diseaseQuery = z.strictObject({
  personId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  region: z.string().regex(/^(national|\d{6})$/).optional(),
  date: isoDateSchema.optional(),
});
