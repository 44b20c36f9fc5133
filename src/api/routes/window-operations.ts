/**
 * What a clerk undoes at the window (issue 17): a hospital's settlement
 * reversed by the bureau, and an out-of-area filing cancelled. Each takes a
 * reason and answers, with `dryRun`, what it would do (nothing written) so
 * the console's confirmation step shows it before the clerk commits. Thin:
 * validate, check permission and reach, call the service.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { PolicyRegistry } from '../../domain/policy/registry.ts';
import { personOrThrow, requirePersonInReach, settlementOrThrow } from '../../service/console-persons.ts';
import { cancelFiling } from '../../service/filing-cancellation.ts';
import { reverseAtWindow } from '../../service/settlement-window-reversal.ts';
import type { Db } from '../../store/db.ts';
import { parseWith } from '../errors.ts';
import { requireStaff } from '../staff-guard.ts';

export const windowUndoSchema = z.strictObject({
  reason: z.string().trim().min(2).max(300),
  /** true: answer what it would do, write nothing (the confirmation step). */
  dryRun: z.boolean().default(false),
});

const fundAmounts = z.object({ basic: z.number().int(), critical: z.number().int(), assistance: z.number().int(), supplementary: z.number().int(), tilt: z.number().int() });

/** The answer of a settlement reversal at the window (fen). */
export const windowReversalResponse = z.object({
  dryRun: z.boolean(),
  settlement: z.object({
    id: z.number().int(), transactionId: z.string(), facility: z.string(), personId: z.number().int(), visitDate: z.string(), total: z.number().int(),
    selfPay: z.number().int(), status: z.enum(['settled', 'reversed']), reversalId: z.string().nullable(),
  }),
  fundsReturned: fundAmounts,
  accountRestored: z.number().int(),
  laterBills: z.array(z.object({ settlementId: z.number().int(), transactionId: z.string(), funds: fundAmounts, selfPay: z.number().int(), kind: z.string() })),
});

/** The answer of a filing cancellation. */
export const filingCancellationResponse = z.object({
  dryRun: z.boolean(),
  filing: z.object({
    id: z.number().int(), person_id: z.number().int(), treatment_place: z.string(), reason: z.string(), valid_from: z.string(), valid_to: z.string(),
    channel: z.string(), status: z.enum(['active', 'cancelled']),
  }).passthrough(),
});

const settlementParams = z.strictObject({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const filingParams = z.strictObject({
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  filingId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

export function windowOperationRoutes(app: FastifyInstance, deps: { db: Db; policies: PolicyRegistry }): void {
  const { db } = deps;

  app.post('/api/v1/console/settlements/:id/reversal', async (request) => {
    const staff = await requireStaff(db, request, 'settlement.reverse');
    const { id } = parseWith(settlementParams, request.params, 'params');
    const body = parseWith(windowUndoSchema, request.body);
    const settlement = await settlementOrThrow(db, id);
    await requirePersonInReach(db, staff, await personOrThrow(db, settlement.person_id));
    return reverseAtWindow(deps, { settlementId: id, reason: body.reason, actor: `staff:${staff.username}`, dryRun: body.dryRun });
  });

  app.post('/api/v1/console/persons/:id/filings/:filingId/cancellation', async (request) => {
    const staff = await requireStaff(db, request, 'filing.write');
    const p = parseWith(filingParams, request.params, 'params');
    const body = parseWith(windowUndoSchema, request.body);
    await requirePersonInReach(db, staff, await personOrThrow(db, p.id));
    return cancelFiling(db, { personId: p.id, filingId: p.filingId, reason: body.reason, actor: `staff:${staff.username}`, dryRun: body.dryRun });
  });
}
