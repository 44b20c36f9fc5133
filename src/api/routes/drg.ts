/**
 * DRG over HTTP. Hospitals (their API key) send settlement lists (4101) and read
 * back the grouping; staff group, compute rates and payments (drg.manage) and
 * read the report and payments (reports.read). Thin: validate, call, present.
 */
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../domain/errors.ts';
import { maskPsnNo } from '../../domain/drg/present.ts';
import { receiveAbstract } from '../../service/drg-abstracts.ts';
import { drgContext, type DrgContext } from '../../service/drg-catalogues.ts';
import { groupPeriod } from '../../service/drg-grouping.ts';
import { listDrgPolicies } from '../../service/drg-policies.ts';
import { computeRates, payMonth } from '../../service/drg-payments.ts';
import { drgReport } from '../../service/drg-reports.ts';
import type { Db } from '../../store/db.ts';
import { findAbstract, type StoredAbstract } from '../../store/repositories/drg-abstracts.ts';
import { findGrouping } from '../../store/repositories/drg-groupings.ts';
import { listPayments, paymentsOf } from '../../store/repositories/drg-payments.ts';
import { findFacilityByCode } from '../../store/repositories/facilities.ts';
import { facilityAuthenticator } from '../auth.ts';
import { parseWith } from '../errors.ts';
import { requireDivision, requireStaff } from '../staff-guard.ts';
import { groupBodySchema, idParamSchema, payBodySchema, paymentsQuerySchema, ratesBodySchema, reportQuerySchema, setlIdSchema } from './drg-schemas.ts';

async function presentDischarge(db: Db, s: StoredAbstract, masked: boolean) {
  const g = await findGrouping(db, s.id);
  return {
    id: s.id,
    setlId: s.abstract.setlId,
    abstract: { ...s.abstract, psnNo: masked ? maskPsnNo(s.abstract.psnNo) : s.abstract.psnNo },
    findings: s.findings,
    grouping: g ? { table: g.table_id, drg: g.drg, name: g.name, mdc: g.mdc, adrg: g.adrg, ccLevel: g.cc_level, reason: g.reason_code ? { code: g.reason_code, message: g.reason_message } : null, steps: g.steps } : null,
    payments: await paymentsOf(db, s.id),
  };
}

export function drgRoutes(app: FastifyInstance, deps: { db: Db; drg?: DrgContext }): void {
  const { db } = deps;
  const ctx = deps.drg ?? drgContext(db);
  const facilityOf = facilityAuthenticator(db);

  app.post('/api/v1/drg/settlement-lists', async (request, reply) => {
    const facility = await facilityOf(request);
    const r = await receiveAbstract(db, ctx, facility, request.body);
    void reply.status(r.replayed ? 200 : 201);
    const g = r.grouping;
    return { id: r.id, setlId: r.setlId, replayed: r.replayed, findings: r.findings, grouping: { drg: g.drg, name: g.name, mdc: g.mdc, adrg: g.adrg, ccLevel: g.ccLevel, reason: g.reason, steps: g.steps } };
  });

  app.get('/api/v1/drg/settlement-lists/:setlId', async (request) => {
    const facility = await facilityOf(request);
    const setlId = parseWith(setlIdSchema, (request.params as { setlId: string }).setlId, 'params');
    const s = await findAbstract(db, facility.id, { setlId });
    if (!s) throw notFound('UNKNOWN_SETTLEMENT_LIST', `no settlement list ${setlId} from this facility`, 'setlId');
    return presentDischarge(db, s, false);
  });

  app.get('/api/v1/drg/policies', async (request) => {
    await requireStaff(db, request, 'reports.read');
    return { items: listDrgPolicies(ctx.policyDir) };
  });

  app.get('/api/v1/drg/report', async (request) => {
    const staff = await requireStaff(db, request, 'reports.read');
    const query = parseWith(reportQuerySchema, request.query, 'query');
    return drgReport(db, ctx, query.policy, staff.divisionCode);
  });

  app.get('/api/v1/drg/payments', async (request) => {
    const staff = await requireStaff(db, request, 'reports.read');
    const query = parseWith(paymentsQuerySchema, request.query, 'query');
    let facilityId: number | undefined;
    if (query.facility) {
      const f = await findFacilityByCode(db, query.facility);
      if (!f) throw notFound('UNKNOWN_FACILITY', `no facility ${query.facility}`, 'facility');
      requireDivision(staff, f.division_code);
      facilityId = f.id;
    }
    const page = await listPayments(db, { policyId: query.policy, ...(query.month ? { month: query.month } : {}), ...(facilityId ? { facilityId } : {}), division: staff.divisionCode, limit: query.limit, offset: query.offset });
    return { ...page, limit: query.limit, offset: query.offset };
  });

  app.get('/api/v1/drg/discharges/:id', async (request) => {
    const staff = await requireStaff(db, request, 'reports.read');
    const { id } = parseWith(idParamSchema, request.params, 'params');
    const s = await findAbstract(db, null, { id });
    if (!s) throw notFound('UNKNOWN_DISCHARGE', `no discharge ${id}`, 'id');
    requireDivision(staff, s.facilityDivision);
    return presentDischarge(db, s, true);
  });

  app.post('/api/v1/drg/groupings', async (request) => {
    const staff = await requireStaff(db, request, 'drg.manage');
    const body = parseWith(groupBodySchema, request.body);
    return groupPeriod(db, ctx, { ...body, actor: `staff:${staff.username}` });
  });

  app.post('/api/v1/drg/rates', async (request) => {
    const staff = await requireStaff(db, request, 'drg.manage');
    const body = parseWith(ratesBodySchema, request.body);
    return computeRates(db, ctx, { ...body, actor: `staff:${staff.username}` });
  });

  app.post('/api/v1/drg/payments', async (request) => {
    const staff = await requireStaff(db, request, 'drg.manage');
    const body = parseWith(payBodySchema, request.body);
    return payMonth(db, ctx, { ...body, actor: `staff:${staff.username}` });
  });
}
