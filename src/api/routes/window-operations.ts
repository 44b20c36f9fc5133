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

export { filingCancellationResponse, windowReversalResponse } from '../responses/window.ts';

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
