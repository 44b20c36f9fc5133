/** What the register routes answer: divisions, households and people at the window, and the register imports. */
import { z } from 'zod';
import { int, masked } from './common.ts';

/** A bad row of an imported table (divisions, households, tax vouchers). */
export const tableRowProblemSchema = z.object({ row: int, reason: z.string() });
const household = z.object({ id: int, code: z.string(), divisionCode: z.string() });

export const registerResponses = {
  'GET /api/v1/divisions': z.object({
    items: z.array(z.object({ code: z.string(), name: z.string(), nameBo: z.string().nullable(), nameEn: z.string().nullable(), level: int, parentCode: z.string().nullable() })),
  }),
  'POST /api/v1/divisions/import': z.object({
    dryRun: z.boolean(),
    rowsTotal: int,
    rowsImported: int,
    added: int,
    renamed: int,
    unchanged: int,
    skipped: z.array(tableRowProblemSchema),
    rows: z.array(z.object({ row: int, code: z.string(), name: z.string(), nameBo: z.string().nullable(), level: int, change: z.enum(['add', 'rename', 'same']) })),
  }),
  'POST /api/v1/households/import': z.object({
    dryRun: z.boolean(),
    rowsTotal: int,
    rowsImported: int,
    householdsAdded: int,
    householdsMoved: int,
    personsAdded: int,
    personsChanged: int,
    unchanged: int,
    skipped: z.array(tableRowProblemSchema),
  }),
  'POST /api/v1/console/households': household,
  'PATCH /api/v1/console/households/{id}': household,
  'POST /api/v1/console/persons': z.object({ id: int, householdCode: z.string(), divisionCode: z.string() }),
  'PATCH /api/v1/console/persons/{id}': z.object({ id: int, changed: z.boolean(), householdCode: z.string().nullable(), divisionCode: z.string() }),
  /** What the window's edit form starts from: names masked, the phone only as present or not. */
  'GET /api/v1/console/persons/{id}/register': z.object({
    id: int,
    name: masked,
    nameBo: masked.nullable(),
    hasPhone: z.boolean(),
    relation: z.string().nullable(),
    divisionCode: z.string(),
    householdId: int.nullable(),
    householdCode: z.string().nullable(),
  }),
} as const;
