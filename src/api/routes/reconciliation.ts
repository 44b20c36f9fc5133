/**
 * Reconciliation routes: hospitals submit their totals (3201, fen) with
 * optional details (3202) and read the bureau's side; staff list mismatches
 * and follow them to resolution.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { RECONCILIATION_STATUSES } from '../../domain/ledger/reconcile.ts';
import { bureauStatement, bureauTotalsByFacility, checkPeriod, findForFacility, followUp, listForStaff, reconcile } from '../../service/reconciliation.ts';
import { listFacilities } from '../../store/repositories/facilities.ts';
import type { Db } from '../../store/db.ts';
import { facilityAuthenticator } from '../auth.ts';
import { parseWith } from '../errors.ts';
import { requireStaff } from '../staff-guard.ts';

export const reconcileBody = z.strictObject({
  requestId: z.string(),
  from: z.string(),
  to: z.string(),
  /** 3201 lines: insutype, clr_type, fixmedins_setl_cnt, medfee_sumamt, fund_pay_sumamt, acct_pay — amounts in fen. */
  totals: z.array(z.unknown()),
  details: z.array(z.unknown()).optional(),
});
export const statementQuery = z.strictObject({ from: z.string(), to: z.string() });
export const reconciliationListQuery = z.strictObject({
  status: z.enum(RECONCILIATION_STATUSES).optional(),
  facilityId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export const followUpBody = z.strictObject({ status: z.enum(['explained', 'resolved']), note: z.string() });
const idParam = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export function reconciliationRoutes(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  const facilityOf = facilityAuthenticator(db);

  app.post('/api/v1/reconciliations', async (request, reply) => {
    const facility = await facilityOf(request);
    const body = parseWith(reconcileBody, request.body);
    const { result, replayed } = await reconcile(db, facility, body, `facility:${facility.code}`);
    return reply.status(replayed ? 200 : 201).send(result);
  });

  app.get('/api/v1/reconciliations/statement', async (request) => {
    const facility = await facilityOf(request);
    const query = parseWith(statementQuery, request.query, 'query');
    const period = checkPeriod(query.from, query.to);
    return { facility: facility.code, ...period, ...(await bureauStatement(db, facility.id, period.from, period.to)) };
  });

  app.get('/api/v1/reconciliations/:id', async (request) => {
    const facility = await facilityOf(request);
    const { id } = parseWith(idParam, request.params, 'params');
    return findForFacility(db, facility, id);
  });

  app.get('/api/v1/fund/reconciliations', async (request) => {
    const staff = await requireStaff(db, request, 'reports.read');
    const query = parseWith(reconciliationListQuery, request.query, 'query');
    return { items: await listForStaff(db, { ...query, divisionPrefix: staff.divisionCode }) };
  });

  // The bureau's daily or monthly totals of every hospital in the staff member's area (3201 lines), before any hospital reconciles.
  app.get('/api/v1/fund/reconciliations/totals', async (request) => {
    const staff = await requireStaff(db, request, 'reports.read');
    const query = parseWith(statementQuery, request.query, 'query');
    const period = checkPeriod(query.from, query.to);
    const totals = await bureauTotalsByFacility(db, period.from, period.to);
    const facilities = (await listFacilities(db)).filter((f) => f.division_code.startsWith(staff.divisionCode) && totals.has(f.id));
    return { ...period, items: facilities.map((f) => ({ facility: { id: f.id, code: f.code, name: f.name }, totals: totals.get(f.id)! })) };
  });

  app.post('/api/v1/fund/reconciliations/:id/follow-up', async (request) => {
    const staff = await requireStaff(db, request, 'clearing.manage');
    const { id } = parseWith(idParam, request.params, 'params');
    const body = parseWith(followUpBody, request.body);
    return followUp(db, id, body.status, body.note, `staff:${staff.username}`, staff.divisionCode);
  });
}
