/** What the personal-account (个人账户) and out-of-area routes answer. */
import { z } from 'zod';
import { SCHEMES } from '../../domain/vocabulary.ts';
import { fen, int, isoInstant, masked } from './common.ts';

export const accountStatementSchema = z.object({
  person: z.object({ id: int, maskedName: masked, idNumber: masked, scheme: z.string(), status: z.string(), divisionCode: z.string() }),
  year: int,
  contributionBase: fen.nullable(),
  balance: fen,
  opening: fen,
  closing: fen,
  totals: z.object({ credits: fen, ownSpends: fen, familySpends: fen, restored: fen }),
  lines: z.array(z.object({
    id: int,
    at: isoInstant,
    kind: z.enum(['credit', 'spend', 'restore']),
    amount: fen.describe('signed: above 0 in, below 0 out'),
    balanceAfter: fen,
    rule: z.string(),
    month: z.string().nullable(),
    bill: z.object({ transactionId: z.string(), facility: z.string(), visitDate: z.string(), visitKind: z.string() }).nullable(),
    beneficiary: z.object({ self: z.boolean(), maskedName: masked.nullable(), relation: z.string().nullable() }).nullable(),
  })),
  sharing: z.array(z.object({ linkId: int, role: z.enum(['holder', 'relative']), maskedName: masked, relation: z.string(), status: z.string(), scheme: z.enum(SCHEMES) })),
});

const placeFigures = { settlements: int, total: fen, fund: fen, filed: int };
const side = z.object({
  ...placeFigures,
  byPlace: z.array(z.object({ place: z.string(), name: z.string().nullable(), province: z.string(), ...placeFigures, direct: int, clearing: int })),
});

export const accountResponses = {
  'GET /api/v1/console/persons/{id}/account': accountStatementSchema,
  'PUT /api/v1/console/persons/{id}/account/base': z.object({ personId: int, base: fen, before: fen.nullable() }),
  'POST /api/v1/console/persons/{id}/family-links': z.object({ id: int, holderId: int, relativeId: int, relation: z.string(), status: z.string() }),
  'DELETE /api/v1/console/family-links/{id}': z.object({ id: int, status: z.string() }),
  'POST /api/v1/console/account-credits': z.object({
    month: z.string(),
    employees: int,
    credited: int,
    amount: fen,
    alreadyCredited: int,
    skippedNoBase: int,
    skippedNoPolicy: int,
  }),
  'GET /api/v1/me/account': z.object({
    hasAccount: z.boolean(),
    balance: fen,
    statement: accountStatementSchema.nullable(),
    sharedBy: z.array(z.object({ maskedName: masked, relation: z.string() })),
  }),
  'GET /api/v1/console/reports/out-of-area': z.object({ region: z.string(), year: int, asInsuredPlace: side, asTreatmentPlace: side }),
  'POST /api/v1/console/clearing-imports': z.object({
    batchId: int.nullable(),
    alreadyImported: z.boolean(),
    rowsTotal: int,
    imported: int,
    outbound: int,
    inbound: int,
    skipped: z.array(z.object({ row: int, field: z.string().optional(), reason: z.string() })),
  }),
  'GET /api/v1/console/clearing-imports': z.object({ items: z.array(z.object({ id: int, fileName: z.string(), rows: int, importedBy: z.string(), importedAt: isoInstant })) }),
} as const;
