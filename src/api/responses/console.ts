/** What the staff console's people, settlement, report, audit and delegation routes answer. */
import { z } from 'zod';
import { EMPLOYMENT_STATUSES, SCHEMES } from '../../domain/vocabulary.ts';
import { detail, enrollmentYearSchema, fen, heldIdentitySchema, int, isoDate, isoInstant, masked, paged } from './common.ts';
import { adjustmentSchema, breakdownSchema, effectiveSchema, filingSchema } from './settlement.ts';

const names = { name: z.string(), nameBo: z.string().nullable(), nameEn: z.string().nullable() };

/** A person in a list: name, ID number and phone masked, no birth date. */
export const listedPersonSchema = z.object({
  id: int,
  name: masked,
  nameBo: masked.nullable(),
  sex: z.enum(['M', 'F']),
  birthDate: z.string().nullable().describe('null unless unmasked'),
  idNumber: masked,
  phone: masked.nullable(),
  divisionCode: z.string(),
  division: z.object(names),
  householdCode: z.string().nullable(),
  relation: z.string().nullable(),
  enrollmentStatus: z.string().nullable(),
});

export const personDetailSchema = z.object({
  person: listedPersonSchema.extend({ scheme: z.enum(SCHEMES), employmentStatus: z.enum(EMPLOYMENT_STATUSES).nullable() }),
  household: z.array(listedPersonSchema),
  identities: z.array(heldIdentitySchema),
  enrollments: z.array(enrollmentYearSchema),
  /** Left out for a role without settlement.read. */
  settlements: z.array(z.object({ id: int, date: isoDate, kind: z.string(), facility: z.string(), total: fen, funds: fen, selfPay: fen, status: z.string() })).optional(),
  filings: z.array(filingSchema),
});

export const listedSettlementSchema = z.object({
  id: int,
  personId: int,
  personName: masked,
  divisionCode: z.string(),
  date: isoDate,
  kind: z.string(),
  facility: z.string(),
  total: fen,
  funds: fen,
  selfPay: fen,
  status: z.string(),
  adjustments: int,
});

export const settlementDetailSchema = breakdownSchema.extend({
  id: int,
  transactionId: z.string(),
  person: z.object({ id: int, name: masked, idNumber: masked, divisionCode: z.string() }),
  facility: z.object({ code: z.string(), name: z.string() }),
  policy: z.string(),
  year: int,
  visit: z.object({ kind: z.string(), level: int, date: isoDate }),
  status: z.string(),
  settledAt: isoInstant,
  effective: effectiveSchema,
  adjustments: z.array(adjustmentSchema),
});

export const auditEntrySchema = z.object({
  id: int,
  at: isoInstant,
  actor: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string(),
  detail: detail.nullable().describe('personal data masked'),
});

export const consoleResponses = {
  'GET /api/v1/console/persons': paged(listedPersonSchema),
  'GET /api/v1/console/persons/{id}': personDetailSchema,
  'POST /api/v1/console/persons/{id}/unmask': z.object({ id: int, name: z.string(), idNumber: z.string(), phone: z.string().nullable(), birthDate: z.string().nullable() }),
  'GET /api/v1/console/persons/{id}/filings': z.object({ items: z.array(filingSchema) }),
  'POST /api/v1/console/persons/{id}/filings': filingSchema,
  'GET /api/v1/console/settlements': paged(listedSettlementSchema),
  'GET /api/v1/console/settlements/{id}': settlementDetailSchema,
  'GET /api/v1/console/reports/coverage': z.object({
    year: int,
    persons: int,
    enrolled: int,
    pending: int,
    overTime: z.array(z.object({ day: isoDate, enrolled: int.describe('running total') })),
    byTownship: z.array(z.object({ code: z.string(), ...names, persons: int, enrolled: int })),
  }),
  'GET /api/v1/console/reports/payments': z.object({
    year: int,
    settlements: int,
    total: fen,
    selfPay: fen,
    byMonth: z.array(z.object({ month: z.string().describe('YYYY-MM'), fund: z.string(), amount: fen })),
  }),
  'GET /api/v1/console/reports/alerts': z.object({ year: int, byDepartment: z.array(z.object({ department: z.string(), risk: z.string(), alerts: int })) }),
  'GET /api/v1/console/audit': z.object({ items: z.array(auditEntrySchema) }),
  'GET /api/v1/console/delegations': z.object({
    available: z.array(z.string()),
    townships: z.array(z.object({ code: z.string(), ...names, items: z.array(z.string()), stations: int })),
  }),
  'PUT /api/v1/console/delegations/{divisionCode}': z.object({ divisionCode: z.string(), items: z.array(z.string()) }),
} as const;
