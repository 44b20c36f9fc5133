/** What the chronic-disease (门诊慢特病) routes answer: the catalogue, applications with their documents, approvals. */
import { z } from 'zod';
import { SCHEMES } from '../../domain/vocabulary.ts';
import { fen, int, isoDate, isoInstant } from './common.ts';

export const chronicDiseaseSchema = z.object({
  region: z.string(),
  code: z.string(),
  name: z.string(),
  class: z.string(),
  schemes: z.array(z.enum(SCHEMES)),
  icd10: z.array(z.string()),
  yearlyLimit: fen,
  rare: z.boolean(),
  validFrom: isoDate,
  validTo: isoDate.nullable(),
});

export const chronicApplicationSchema = z.object({
  id: int,
  personId: int,
  disease: z.object({ region: z.string(), code: z.string(), name: z.string() }),
  diagnosis: z.string(),
  channel: z.string(),
  submittedBy: z.string(),
  status: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: isoInstant.nullable(),
  reason: z.string().nullable(),
  createdAt: isoInstant,
  documents: z.array(z.object({ id: int, kind: z.string(), fileName: z.string(), sha256: z.string(), sizeBytes: int })),
});

export const chronicApprovalSchema = z.object({
  id: int,
  personId: int,
  applicationId: int,
  renewedFrom: int.nullable(),
  disease: z.object({ region: z.string(), code: z.string(), name: z.string(), class: z.string() }),
  validFrom: isoDate,
  validTo: isoDate,
  status: z.string(),
  approvedBy: z.string(),
  revokedBy: z.string().nullable(),
  revokedAt: isoInstant.nullable(),
  revokeReason: z.string().nullable(),
});

export const chronicResponses = {
  'GET /api/v1/chronic/diseases': z.object({ items: z.array(chronicDiseaseSchema) }),
  'GET /api/v1/chronic/applications': z.object({ items: z.array(chronicApplicationSchema) }),
  'POST /api/v1/chronic/applications': chronicApplicationSchema,
  'POST /api/v1/chronic/applications/{id}/documents': chronicApplicationSchema,
  'POST /api/v1/chronic/applications/{id}/decision': z.object({ application: chronicApplicationSchema, approval: chronicApprovalSchema.nullable() }),
  'GET /api/v1/chronic/approvals': z.object({ items: z.array(chronicApprovalSchema) }),
  'POST /api/v1/chronic/approvals/{id}/renewal': chronicApprovalSchema,
  'POST /api/v1/chronic/approvals/{id}/revocation': chronicApprovalSchema,
  'POST /api/v1/chronic-applications': chronicApplicationSchema,
} as const;
