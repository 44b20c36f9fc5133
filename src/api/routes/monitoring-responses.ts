/**
 * What the monitoring case routes answer, as zod schemas: the OpenAPI document
 * describes the responses from them, a test checks real answers against them,
 * and the console's typed client takes its types from them (z.infer) — one
 * description of a case, not a hand-written copy in each page.
 */
import { z } from 'zod';
import { CASE_ACTIONS, CASE_EVENT_ACTIONS, CASE_STATUSES } from '../../domain/monitoring/case-machine.ts';
import { DEPARTMENTS } from '../../domain/vocabulary.ts';

const fen = z.number().int();
const isoInstant = z.string().describe('an ISO 8601 instant');

export const caseSummarySchema = z.object({
  id: z.number().int(),
  alertId: z.number().int().nullable(),
  year: z.number().int(),
  status: z.enum(CASE_STATUSES),
  risk: z.string(),
  departments: z.array(z.enum(DEPARTMENTS)),
  source: z.string().nullable(),
  threshold: z.object({ id: z.string().nullable(), amount: fen }),
  yearlySelfPay: fen,
  settlementId: z.number().int().nullable(),
  person: z.object({
    id: z.number().int(),
    name: z.string().describe('masked'),
    idNumber: z.string().describe('masked'),
    phone: z.string().nullable().describe('masked'),
    divisionCode: z.string(),
    householdId: z.number().int().nullable(),
  }),
  determination: z
    .object({ kind: z.string(), department: z.string().nullable(), confirmed: z.boolean().nullable(), detail: z.unknown() })
    .nullable(),
  /** The steps this caller may take next, by their permissions. */
  nextActions: z.array(z.enum(CASE_ACTIONS)),
  raisedAt: isoInstant.nullable(),
  updatedAt: isoInstant.nullable(),
});

export const caseListResponseSchema = z.object({
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  items: z.array(caseSummarySchema),
});

export const caseEventSchema = z.object({
  id: z.number().int(),
  at: isoInstant.nullable(),
  actor: z.string(),
  action: z.enum(CASE_EVENT_ACTIONS),
  from: z.enum(CASE_STATUSES).nullable(),
  to: z.enum(CASE_STATUSES).nullable(),
  detail: z.unknown(),
});

export const assistanceApplicationSchema = z.object({
  id: z.number().int(),
  identity: z.string().nullable(),
  due_fen: z.union([fen, z.string()]),
  paid_fen: z.union([fen, z.string()]),
}).passthrough();

export const caseDetailSchema = caseSummarySchema.extend({
  history: z.array(caseEventSchema),
  pushes: z.array(z.unknown()),
  applications: z.array(assistanceApplicationSchema),
});

export type CaseSummary = z.infer<typeof caseSummarySchema>;
export type CaseList = z.infer<typeof caseListResponseSchema>;
export type CaseDetail = z.infer<typeof caseDetailSchema>;
